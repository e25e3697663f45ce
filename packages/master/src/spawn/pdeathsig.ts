import { execFile } from 'node:child_process';
import type { EnvSource } from '@einhorn/core';
import { which } from './which.ts';

/**
 * Looks once, at start-up, for util-linux `setpriv` with a working `--pdeathsig` (util-linux
 * ≥ 2.33, Linux only). Workers are then exec'd as `setpriv --pdeathsig SIG -- PROGRAM ARGS`:
 * setpriv sets `PR_SET_PDEATHSIG` and execs the program in the same process, so the worker keeps
 * the pid the master spawned and the kernel signals it when the master dies (einhorn's `-k`).
 * Resolves to setpriv's absolute path, or undefined when it is missing or refuses the option.
 */
export async function findPdeathsigHelper(
  signal: NodeJS.Signals,
  options: { readonly env: EnvSource; readonly cwd: string },
): Promise<string | undefined> {
  if (process.platform !== 'linux') return undefined;
  let setpriv: string;
  try {
    setpriv = await which('setpriv', options);
  } catch {
    return undefined;
  }
  return new Promise((resolve) => {
    execFile(
      setpriv,
      ['--pdeathsig', signal.replace(/^SIG/, ''), '--', setpriv, '--version'],
      { timeout: 10_000 },
      (error) => {
        resolve(error ? undefined : setpriv);
      },
    );
  });
}

/** The program and arguments that start a worker, through setpriv when it is available. */
export function withPdeathsig(
  pdeathsig: { readonly helper: string; readonly signal: NodeJS.Signals } | undefined,
  file: string,
  args: readonly string[],
): { readonly file: string; readonly args: readonly string[] } {
  if (pdeathsig === undefined) return { file, args };
  const signal = pdeathsig.signal.replace(/^SIG/, '');
  return { file: pdeathsig.helper, args: ['--pdeathsig', signal, '--', file, ...args] };
}
