import { z } from 'zod';
import { EinhornError } from '@einhorn/core';
import { parseBindString } from '../bind/parse-bind.ts';
import { isSignalName } from '../options.ts';
import { defineCliFlags, scanArgv } from './scan-argv.ts';
import { shellSplit } from './shell-split.ts';

/** What `einhorn-node` was asked to do. */
export type CliAction =
  | { readonly kind: 'help' }
  /** No program: einhorn prints its usage on stdout and exits 1. */
  | { readonly kind: 'usage'; readonly reason: string | undefined }
  /** `--upgrade-check`: einhorn's re-exec pre-flight; exits 0. */
  | { readonly kind: 'upgrade-check' }
  /** `--with-state-fd FD`: the re-exec step of an upgrade; reports the environment on FD. */
  | { readonly kind: 'state-fd'; readonly fd: string }
  | { readonly kind: 'version' }
  | { readonly kind: 'run'; readonly options: CliOptions };

/** Validated command-line options (einhorn's names; durations in milliseconds). */
export interface CliOptions {
  readonly command: string;
  readonly args: readonly string[];
  readonly bind: readonly string[];
  readonly name: string | undefined;
  readonly socketPath: string | undefined;
  readonly pidfile: string | undefined;
  readonly lockfile: string | undefined;
  readonly commandSocketAsFd: boolean;
  readonly killChildrenOnExit: boolean;
  readonly backlog: number;
  readonly ack:
    | { readonly mode: 'timer'; readonly afterMs: number }
    | { readonly mode: 'manual'; readonly timeoutMs: number };
  readonly workers: number;
  readonly verbosity: 0 | 1 | 2;
  readonly secondsMs: number;
  readonly signalTimeoutMs: number;
  readonly maxUnacked: number | undefined;
  readonly maxUpgradeAdditional: number | undefined;
  readonly dropEnv: readonly string[];
  /** `--reexec-as`, shell-split; undefined = einhorn-node's own command line. */
  readonly reexecAs: readonly string[] | undefined;
  readonly gracefulSignal: NodeJS.Signals;
  readonly logFormat: 'text' | 'json';
  readonly pingTimeoutMs: number;
  readonly maxFailedStarts: number;
  /** Warnings about options accepted for compatibility but without effect (logged at start). */
  readonly ignored: readonly string[];
}

/** einhorn's `Float()`-style seconds: a finite decimal number. */
const seconds = (what: string) =>
  z
    .string()
    .trim()
    .regex(/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/, `${what} must be a number of seconds`)
    .transform(Number);
const integer = (what: string) =>
  z
    .string()
    .trim()
    .regex(/^[+-]?\d+$/, `${what} must be an integer`)
    .transform(Number);

const schema = z.object({
  bind: z.array(z.string()),
  backlog: integer('--backlog').pipe(z.number().min(0).max(65535)).default(100),
  ackMode: z.string().default('1'),
  ackTimeout: seconds('--ack-timeout').pipe(z.number().min(0)).default(0),
  number: integer('--number')
    .pipe(
      z
        .number()
        .min(1, '--number must be at least 1 (einhorn exits 0 here; einhorn-node refuses)')
        .max(1000),
    )
    .default(1),
  seconds: seconds('--seconds')
    .pipe(z.number().positive('--seconds must be greater than 0'))
    .default(1),
  signalTimeout: seconds('--signal-timeout')
    .pipe(z.number().positive('--signal-timeout must be greater than 0'))
    .optional(),
  maxUnacked: integer('--max-unacked').pipe(z.number().min(1)).optional(),
  maxUpgradeAdditional: integer('--max-upgrade-additional').pipe(z.number().min(0)).optional(),
  gracefulSignal: z
    .string()
    .transform((name) =>
      name.toUpperCase().startsWith('SIG') ? name.toUpperCase() : `SIG${name.toUpperCase()}`,
    )
    .refine(isSignalName, 'unknown signal for --graceful-signal')
    .default('SIGUSR2'),
  logFormat: z.enum(['text', 'json']).default('text'),
  pingTimeout: seconds('--ping-timeout').pipe(z.number().min(0)).default(0),
  maxFailedStarts: integer('--max-failed-starts').pipe(z.number().min(0)).default(10),
});

function invalid(message: string, cause?: unknown): EinhornError {
  return new EinhornError(
    'ERR_EINHORN_INVALID_OPTIONS',
    `${message}; run einhorn-node --help for the syntax.`,
    cause === undefined ? {} : { cause },
  );
}

function parseAck(mode: string, timeoutSeconds: number): CliOptions['ack'] {
  if (mode === 'manual') return { mode: 'manual', timeoutMs: timeoutSeconds * 1000 };
  const parsed = seconds('--ack-mode').pipe(z.number().min(0)).safeParse(mode);
  if (!parsed.success)
    throw invalid(
      `Invalid ack-mode "${mode}": expected "manual" or a number of seconds`,
      parsed.error,
    );
  return { mode: 'timer', afterMs: parsed.data * 1000 };
}

function parseReexecAs(value: string | undefined): readonly string[] | undefined {
  if (value === undefined) return undefined;
  let words: string[];
  try {
    words = shellSplit(value);
  } catch (error) {
    throw invalid(`Invalid --reexec-as ${JSON.stringify(value)}: unmatched quote`, error);
  }
  if (words.length === 0) throw invalid('Invalid --reexec-as "": expected a command line');
  return words;
}

/**
 * Parses `einhorn-node [options] [--] PROGRAM [ARGS...]` with einhorn's option syntax:
 * options stop at `--` or at the first non-option word (optparse `order!`), `-b` repeats in order,
 * values come as `-b X`, `-bX`, `--bind X` or `--bind=X`, and short flags cluster (`-gk`).
 * @throws EinhornError ERR_EINHORN_INVALID_OPTIONS; EinhornMasterError ERR_EINHORN_BIND_INVALID
 */
export function parseCli(argv: readonly string[]): CliAction {
  if (argv.length === 0) return { kind: 'usage', reason: undefined };
  const scanned = scanArgv(argv, defineCliFlags());
  if (scanned.flags.has('upgradeCheck')) return { kind: 'upgrade-check' };
  if (scanned.error !== undefined) throw invalid(scanned.error);
  const { values, flags, rest } = scanned;
  const stateFd = values.single['withStateFd'];
  if (stateFd !== undefined) return { kind: 'state-fd', fd: stateFd };
  if (flags.has('help')) return { kind: 'help' };
  if (flags.has('version')) return { kind: 'version' };
  const result = schema.safeParse({ ...values.single, bind: values.multi['bind'] ?? [] });
  if (!result.success) {
    const issue = result.error.issues[0];
    throw invalid(
      `Invalid option ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid value'}`,
      result.error,
    );
  }
  const [command, ...args] = rest;
  if (command === undefined)
    return {
      kind: 'usage',
      reason:
        'No program to run: put the worker command after the options, e.g. einhorn-node -n 2 -- node server.js',
    };
  const data = result.data;
  for (const spec of data.bind) parseBindString(spec);
  return {
    kind: 'run',
    options: {
      command,
      args,
      bind: data.bind,
      name: values.single['name'],
      socketPath: values.single['socketPath'],
      pidfile: values.single['pidfile'],
      lockfile: values.single['lockfile'],
      commandSocketAsFd: flags.has('commandSocketAsFd'),
      killChildrenOnExit: flags.has('killChildrenOnExit'),
      backlog: data.backlog,
      ack: parseAck(data.ackMode, data.ackTimeout),
      workers: data.number,
      verbosity: Math.min(
        2,
        Math.max(0, 1 + (flags.get('quiet') ?? 0) - (flags.get('verbose') ?? 0)),
      ) as 0 | 1 | 2,
      secondsMs: data.seconds * 1000,
      signalTimeoutMs: (data.signalTimeout ?? 0) * 1000,
      maxUnacked: data.maxUnacked,
      maxUpgradeAdditional: data.maxUpgradeAdditional,
      dropEnv: values.multi['dropEnvVar'] ?? [],
      reexecAs: parseReexecAs(values.multi['reexecAs']?.at(-1)),
      gracefulSignal: data.gracefulSignal,
      logFormat: data.logFormat,
      pingTimeoutMs: data.pingTimeout * 1000,
      maxFailedStarts: data.maxFailedStarts,
      ignored:
        values.single['preload'] === undefined
          ? []
          : [
              `Ignoring -p ${values.single['preload']}: preloading is a Ruby einhorn feature; einhorn-node always execs the program.`,
            ],
    },
  };
}
