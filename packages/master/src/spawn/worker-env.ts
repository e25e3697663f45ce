import { ENV, fdEnvKey } from '@einhorn/core';
import type { EnvSource } from '@einhorn/core';

/** What the master tells one worker. */
export interface WorkerEnvInput {
  /** The environment of the worker's generation (see `upgrade/generation-env.ts`). */
  readonly base: EnvSource;
  readonly masterPid: number;
  /** The command socket path, verbatim. */
  readonly sockPath: string;
  /** Child fd numbers of the listeners, in `-b` order. */
  readonly fds: readonly number[];
  /** Child fd of the live command-socket connection (`-g`). */
  readonly sockFd?: number;
  readonly childIndex: number;
  /** Also set einhorn 0.8's `EINHORN_FDS`. */
  readonly legacyFds: boolean;
}

const OWN_NAMES = new Set<string>(Object.values(ENV));
const FD_NAME = /^EINHORN_FD_\d+$/;

/**
 * Whether `name` is one of the variables the master itself sets: `EINHORN_MASTER_PID`,
 * `EINHORN_SOCK_PATH`, `EINHORN_SOCK_FD`, `EINHORN_FD_COUNT`, `EINHORN_FD_<n>`, `EINHORN_FDS`,
 * `EINHORN_CHILD_INDEX`. Any other `EINHORN_*` variable belongs to the user and is passed through.
 */
export function isMasterVariable(name: string): boolean {
  return OWN_NAMES.has(name) || FD_NAME.test(name);
}

/**
 * Builds a worker's environment as einhorn 1.1 does (docs/reference/protocol.md, "Worker
 * environment"): the base environment with every other variable kept, including the user's own
 * `EINHORN_*` ones, and the master's variables set fresh. Stale copies of the master's variables
 * are removed first, so a stale `EINHORN_SOCK_FD` or `EINHORN_FD_5` never reaches a worker
 * (check 57; einhorn leaves them in place).
 */
export function buildWorkerEnv(input: WorkerEnvInput): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.base)) {
    if (value !== undefined && !isMasterVariable(name)) env[name] = value;
  }
  env[ENV.MASTER_PID] = String(input.masterPid);
  env[ENV.SOCK_PATH] = input.sockPath;
  if (input.sockFd !== undefined) env[ENV.SOCK_FD] = String(input.sockFd);
  env[ENV.FD_COUNT] = String(input.fds.length);
  input.fds.forEach((fd, index) => {
    env[fdEnvKey(index)] = String(fd);
  });
  env[ENV.CHILD_INDEX] = String(input.childIndex);
  if (input.legacyFds) env[ENV.FDS] = input.fds.join(' ');
  return env;
}
