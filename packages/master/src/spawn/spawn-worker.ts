import { spawn } from 'node:child_process';
import type { ChildProcess, StdioOptions } from 'node:child_process';
import type { Socket } from 'node:net';
import { withPdeathsig } from './pdeathsig.ts';

/** Everything needed to start one worker process. */
export interface SpawnWorkerInput {
  /** Absolute path resolved by `which` at start; also the worker's argv[0]. */
  readonly file: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: Record<string, string>;
  /** The master's listener fds, in `-b` order; the worker gets them at 3, 4, …. */
  readonly listenerFds: readonly number[];
  /** A connected command-socket client (`-g`), passed as the next fd. */
  readonly commandSocket?: Socket;
  /** `setpriv` to exec the worker through (`-k`), and the parent-death signal to set. */
  readonly pdeathsig?: { readonly helper: string; readonly signal: NodeJS.Signals };
}

/** Child fd numbers a worker receives for its listeners (and the `-g` socket after them). */
export function childFdLayout(
  listenerCount: number,
  withCommandSocket: boolean,
): { fds: number[]; sockFd?: number } {
  const fds = Array.from({ length: listenerCount }, (_, index) => 3 + index);
  return withCommandSocket ? { fds, sockFd: 3 + listenerCount } : { fds };
}

/**
 * Spawns a worker: stdio inherited, listeners at fds 3…, nothing else (every other fd of a Node
 * process is close-on-exec), in its own session and process group (`setsid`, so pgid = pid; einhorn
 * uses `setpgrp`, which also leaves the terminal's process group). May throw synchronously.
 */
export function spawnWorkerProcess(input: SpawnWorkerInput): ChildProcess {
  const stdio: StdioOptions = ['inherit', 'inherit', 'inherit', ...input.listenerFds];
  if (input.commandSocket) stdio.push(input.commandSocket);
  const run = withPdeathsig(input.pdeathsig, input.file, input.args);
  // Through setpriv the worker's argv[0] is still `file`: setpriv execs argv after `--` as is.
  return spawn(run.file, [...run.args], {
    argv0: run.file,
    cwd: input.cwd,
    env: input.env,
    stdio,
    detached: true,
    windowsHide: true,
  });
}
