// The command line's valued options (`-n 3`, `--seconds=0.5`, ...), read with einhorn's number
// syntax and checked together: every problem is reported in one ERR_EINHORN_INVALID_OPTIONS.
import { OptionsValidator } from '@einhorn/core';
import { isSignalName } from '../signals/signal-names.ts';
import { normalizeSignalOption, parseInteger, parseSeconds } from './number-syntax.ts';
import { defineCliFlags } from './scan-argv.ts';

/** The valued options, validated, defaults applied, durations in milliseconds. */
export interface CliValues {
  readonly backlog: number;
  readonly ack:
    | { readonly mode: 'timer'; readonly afterMs: number }
    | { readonly mode: 'manual'; readonly timeoutMs: number };
  readonly workers: number;
  readonly secondsMs: number;
  readonly signalTimeoutMs: number;
  readonly maxUnacked: number | undefined;
  readonly maxUpgradeAdditional: number | undefined;
  readonly gracefulSignal: NodeJS.Signals;
  readonly logFormat: 'text' | 'json';
  readonly pingTimeoutMs: number;
  readonly maxFailedStarts: number;
}

/** `-n/--number` or `--max-unacked`, as the user may have typed it. */
function label(key: string): string {
  const flag = defineCliFlags().find((def) => def.key === key);
  if (flag === undefined) return key;
  return flag.short === undefined ? `--${flag.long}` : `-${flag.short}/--${flag.long}`;
}

/** How to read one option: `parse` returns undefined for text that is not `expected`. */
interface Reading<T> {
  readonly expected: string | ((text: string) => string);
  readonly parse: (text: string) => T | undefined;
}

/** Reads one option; records what was expected and returns undefined when it fails. */
function read<T>(v: OptionsValidator, key: string, reading: Reading<T>): T | undefined {
  const text = v.value(key);
  if (typeof text !== 'string') return undefined;
  const value = reading.parse(text);
  if (value === undefined) {
    const { expected } = reading;
    v.fail(label(key), typeof expected === 'string' ? expected : expected(text), text);
  }
  return value;
}

/** A number of seconds ≥ `min` (> `min` with `exclusive`). */
function seconds(v: OptionsValidator, key: string, bound: { min: number; exclusive?: boolean }) {
  const { min, exclusive = false } = bound;
  return read(v, key, {
    expected: `a number of seconds ${exclusive ? '>' : '≥'} ${min}`,
    parse: (text) => {
      const value = parseSeconds(text);
      if (value === undefined) return undefined;
      return (exclusive ? value > min : value >= min) ? value : undefined;
    },
  });
}

/** An integer in [min, max]; `belowMin` explains a value under `min` (a note after the range). */
function integer(
  v: OptionsValidator,
  key: string,
  bound: { min: number; max?: number; belowMin?: string },
) {
  const { min, max, belowMin = '' } = bound;
  const range = max === undefined ? `an integer ≥ ${min}` : `an integer in [${min}, ${max}]`;
  return read(v, key, {
    expected: (text) => ((parseInteger(text) ?? min) < min ? `${range}${belowMin}` : range),
    parse: (text) => {
      const value = parseInteger(text);
      if (value === undefined || value < min || (max !== undefined && value > max))
        return undefined;
      return value;
    },
  });
}

function ackMode(v: OptionsValidator, timeoutSeconds: number): CliValues['ack'] {
  const ack = read<CliValues['ack']>(v, 'ackMode', {
    expected: '"manual" or a number of seconds ≥ 0',
    parse: (text) => {
      if (text === 'manual') return { mode: 'manual', timeoutMs: timeoutSeconds * 1000 };
      const value = parseSeconds(text);
      return value !== undefined && value >= 0
        ? { mode: 'timer', afterMs: value * 1000 }
        : undefined;
    },
  });
  return ack ?? { mode: 'timer', afterMs: 1000 };
}

/**
 * Validates the valued options of a scanned command line (the scanner's `values.single`).
 * @throws EinhornError ERR_EINHORN_INVALID_OPTIONS naming each bad option, what it takes and
 *   what was found
 */
export function readCliValues(single: Readonly<Record<string, string>>): CliValues {
  const v = new OptionsValidator(single);
  const ackTimeout = seconds(v, 'ackTimeout', { min: 0 }) ?? 0;
  const gracefulSignal = read(v, 'gracefulSignal', {
    expected: 'a signal name such as USR2 or SIGTERM',
    parse: (text) => {
      const name = normalizeSignalOption(text);
      return isSignalName(name) ? name : undefined;
    },
  });
  const logFormat = read(v, 'logFormat', {
    expected: '"text" or "json"',
    parse: (text) => (text === 'text' || text === 'json' ? text : undefined),
  });
  const values: CliValues = {
    backlog: integer(v, 'backlog', { min: 0, max: 65535 }) ?? 100,
    ack: ackMode(v, ackTimeout),
    workers:
      integer(v, 'number', {
        min: 1,
        max: 1000,
        belowMin: ' (einhorn exits 0 for 0 workers; einhorn-node refuses)',
      }) ?? 1,
    secondsMs: (seconds(v, 'seconds', { min: 0, exclusive: true }) ?? 1) * 1000,
    signalTimeoutMs: (seconds(v, 'signalTimeout', { min: 0, exclusive: true }) ?? 0) * 1000,
    maxUnacked: integer(v, 'maxUnacked', { min: 1 }),
    maxUpgradeAdditional: integer(v, 'maxUpgradeAdditional', { min: 0 }),
    gracefulSignal: gracefulSignal ?? 'SIGUSR2',
    logFormat: logFormat ?? 'text',
    pingTimeoutMs: (seconds(v, 'pingTimeout', { min: 0 }) ?? 0) * 1000,
    maxFailedStarts: integer(v, 'maxFailedStarts', { min: 0 }) ?? 10,
  };
  v.throwIfInvalid('the command line', 'run einhorn-node --help for the syntax');
  return values;
}
