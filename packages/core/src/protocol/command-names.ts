import type { CommandName } from '../types.ts';

/**
 * Every command name einhorn understands, in the order of docs/reference/protocol.md, "Commands" (and of `einhornsh`'s
 * help). Frozen. The zod schemas in `@einhorn/core/schema` have one entry per name.
 *
 * @example
 * ```ts
 * COMMAND_NAMES.includes('upgrade_fleet'); // true
 * ```
 */
export const COMMAND_NAMES: readonly CommandName[] = Object.freeze([
  'worker:ack',
  'worker:ping',
  'ehlo',
  'help',
  'state',
  'reload',
  'inc',
  'dec',
  'set_workers',
  'quieter',
  'louder',
  'upgrade',
  'upgrade_fleet',
  'signal',
  'die',
  'config',
] as const satisfies readonly CommandName[]);

const NAMES: ReadonlySet<string> = new Set(COMMAND_NAMES);

/** `true` when `name` is one of {@link COMMAND_NAMES}. */
export function isCommandName(name: string): name is CommandName {
  return NAMES.has(name);
}
