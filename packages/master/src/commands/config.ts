import { decodeMessage } from '@einhorn/core/yaml';
import { checkConfigPatch } from './config-patch.ts';
import type { CommandContext } from './context.ts';

function rubyClass(value: unknown): string {
  if (value === null || value === undefined) return 'NilClass';
  if (Array.isArray(value)) return 'Array';
  if (typeof value === 'string') return 'String';
  if (typeof value === 'boolean') return value ? 'TrueClass' : 'FalseClass';
  if (typeof value === 'number') return Number.isInteger(value) ? 'Integer' : 'Float';
  return 'Object';
}

/** Ruby symbol keys (`:number: 3`) arrive as `":number"`; both spellings are accepted. */
function normalizeKeys(hash: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(hash).map(([key, value]) => [key.startsWith(':') ? key.slice(1) : key, value]),
  );
}

/** `config`: validated changes to number, seconds, max_unacked, max_upgrade_additional, signal_timeout. */
export function config(context: CommandContext, args: readonly string[] | undefined): string {
  if (args === undefined) return 'No args provided';
  if (args.length === 0) return 'Must pass in a YAML-encoded hash';
  let parsed: unknown;
  try {
    parsed = decodeMessage(args.join(' '));
  } catch {
    return 'Could not parse argument. Must be a YAML-encoded hash';
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    return `Parsed argument is a ${rubyClass(parsed)}, not a hash`;
  const hash = normalizeKeys(parsed as Record<string, unknown>);
  const checked = checkConfigPatch(hash);
  if ('refusal' in checked) return checked.refusal;
  const { patch } = checked;
  if (patch.number !== undefined && patch.number < context.minWorkers) {
    return `Refusing config: "number" must be at least the ${context.minWorkers} reuseport slots, found ${patch.number}; send a larger number.`;
  }
  const { config: settings } = context.state;
  if (patch.seconds !== undefined) settings.secondsMs = patch.seconds * 1000;
  if (patch.max_unacked !== undefined) settings.maxUnacked = patch.max_unacked;
  if (patch.max_upgrade_additional !== undefined)
    settings.maxUpgradeAdditional = patch.max_upgrade_additional ?? undefined;
  if (patch.signal_timeout !== undefined) settings.killTimeoutMs = patch.signal_timeout * 1000;
  if (patch.number !== undefined && patch.number !== settings.target)
    context.setTarget(patch.number);
  context.configChanged();
  return `Successfully merged in config: ${JSON.stringify(patch)}`;
}
