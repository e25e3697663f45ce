import { constants } from 'node:os';

/** einhorn's `normalize_signals`: upcased, without a leading `SIG` (`sigusr1` → `USR1`). */
export function normalizeSignalArg(arg: string): string {
  const upper = arg.toUpperCase();
  return upper.startsWith('SIG') ? upper.slice(3) : upper;
}

/** The Node name of a normalized signal (`USR1` → `SIGUSR1`), or undefined if this platform has none. */
export function toNodeSignal(name: string): NodeJS.Signals | undefined {
  const full = `SIG${name}`;
  return Object.hasOwn(constants.signals, full) ? (full as NodeJS.Signals) : undefined;
}

/** einhorn's `validate_signals` reply, e.g. `Invalid signal: "FOO"`, or undefined when all are valid. */
export function invalidSignalsMessage(names: readonly string[]): string | undefined {
  const invalid = names.filter((name) => toNodeSignal(name) === undefined);
  if (invalid.length === 0) return undefined;
  return `Invalid signal${invalid.length > 1 ? 's' : ''}: ${invalid.map((name) => JSON.stringify(name)).join(', ')}`;
}

/** Signal names this platform knows, e.g. `SIGUSR2`. */
export function isSignalName(name: string): name is NodeJS.Signals {
  return Object.hasOwn(constants.signals, name);
}
