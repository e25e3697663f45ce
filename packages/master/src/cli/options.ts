import { EinhornError } from '@einhorn/core';
import { parseBindString } from '../bind/parse-bind.ts';
import { readCliValues } from './cli-values.ts';
import type { CliValues } from './cli-values.ts';
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
export interface CliOptions extends CliValues {
  readonly command: string;
  readonly args: readonly string[];
  readonly bind: readonly string[];
  readonly name: string | undefined;
  readonly socketPath: string | undefined;
  readonly pidfile: string | undefined;
  readonly lockfile: string | undefined;
  readonly commandSocketAsFd: boolean;
  readonly killChildrenOnExit: boolean;
  readonly verbosity: 0 | 1 | 2;
  readonly dropEnv: readonly string[];
  /** `--reexec-as`, shell-split; undefined = einhorn-node's own command line. */
  readonly reexecAs: readonly string[] | undefined;
  /** Warnings about options accepted for compatibility but without effect (logged at start). */
  readonly ignored: readonly string[];
}

function invalid(message: string, cause?: unknown): EinhornError {
  return new EinhornError(
    'ERR_EINHORN_INVALID_OPTIONS',
    `${message}; run einhorn-node --help for the syntax.`,
    cause === undefined ? {} : { cause },
  );
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
  const checked = readCliValues(values.single);
  const bind = values.multi['bind'] ?? [];
  const [command, ...args] = rest;
  if (command === undefined)
    return {
      kind: 'usage',
      reason:
        'No program to run: put the worker command after the options, e.g. einhorn-node -n 2 -- node server.js',
    };
  for (const spec of bind) parseBindString(spec);
  return {
    kind: 'run',
    options: {
      ...checked,
      command,
      args,
      bind,
      name: values.single['name'],
      socketPath: values.single['socketPath'],
      pidfile: values.single['pidfile'],
      lockfile: values.single['lockfile'],
      commandSocketAsFd: flags.has('commandSocketAsFd'),
      killChildrenOnExit: flags.has('killChildrenOnExit'),
      verbosity: Math.min(
        2,
        Math.max(0, 1 + (flags.get('quiet') ?? 0) - (flags.get('verbose') ?? 0)),
      ) as 0 | 1 | 2,
      dropEnv: values.multi['dropEnvVar'] ?? [],
      reexecAs: parseReexecAs(values.multi['reexecAs']?.at(-1)),
      ignored:
        values.single['preload'] === undefined
          ? []
          : [
              `Ignoring -p ${values.single['preload']}: preloading is a Ruby einhorn feature; einhorn-node always execs the program.`,
            ],
    },
  };
}
