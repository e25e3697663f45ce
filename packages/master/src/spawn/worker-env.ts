import { ENV, fdEnvKey, stripEinhornEnv } from '@einhorn/core';
import type { EnvSource } from '@einhorn/core';

/** What the master tells one worker. */
export interface WorkerEnvInput {
  /** The master's environment (or the `env` option); every `EINHORN_*` key is dropped (P13). */
  readonly base: EnvSource;
  /** Variables to remove as well (`--drop-env-var`). */
  readonly drop: readonly string[];
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

/**
 * Builds a worker's environment exactly as einhorn 1.1 does (docs/reference/protocol.md, "Worker
 * environment"), plus the legacy `EINHORN_FDS` when asked, on top of a copy of the base
 * environment without stale `EINHORN_*`.
 */
export function buildWorkerEnv(input: WorkerEnvInput): Record<string, string> {
  const dropped = new Set(input.drop);
  const env = Object.fromEntries(
    Object.entries(stripEinhornEnv(input.base)).filter(([name]) => !dropped.has(name)),
  );
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
