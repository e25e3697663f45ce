import { helpMessage } from '../help.ts';
import { clampVerbosity } from '../log/log-bus.ts';
import { EINHORN_NODE_VERSION } from '../state/version.ts';
import type { CommandContext } from './context.ts';

/** `ehlo` (interface.rb:304-309), naming einhorn-node and its version. */
export function ehlo(context: CommandContext, user: string | undefined): string {
  const name = context.name === undefined ? '' : ` (${context.name})`;
  return `Welcome, ${user ?? ''}! You are speaking to Einhorn Master Process ${context.pid}${name}.\nThis is einhorn-node ${EINHORN_NODE_VERSION}.\n`;
}

/** `help`: einhorn's exact text. */
export function help(): string {
  return helpMessage();
}

/**
 * `state` (interface.rb:318-320): einhorn's `YAML.dump({state: ...})`, Ruby tags and all, so
 * einhorn's own tooling reads it; with `"format": "json"` in the request, JSON text of
 * `{state: {...}}` instead (einhorn ignores the field).
 */
export function state(context: CommandContext, format: string | undefined): string {
  if (format === 'json') return JSON.stringify({ state: context.snapshot() }, null, 2);
  return context.stateYaml();
}

/** `quieter` / `louder`: verbosity ±1, clamped to 0..2 (command.rb:621-633). */
export function changeVerbosity(context: CommandContext, delta: 1 | -1): string {
  context.log.verbosity = clampVerbosity(context.log.verbosity + delta);
  return `Verbosity set to ${context.log.verbosity}`;
}
