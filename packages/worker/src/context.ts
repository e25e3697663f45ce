import { EinhornEnvError, safeParseEinhornEnv } from '@einhorn/core';
import type { SafeResult } from '@einhorn/core';
import { commandLineOf, ownCommandLine, wrappersBelow } from './internal/parent-process.ts';
import { readSystemdListenEnv } from './internal/systemd-env.ts';
import { OptionsValidator, checkContextOptions } from './internal/validate.ts';
import type { ContextOptions, WorkerContext } from './types.ts';

/**
 * `cluster.isWorker`, without loading node:cluster (and its process-spawning machinery) into
 * every worker: a cluster worker always has an IPC channel, and Node has loaded node:cluster in
 * it already, so `getBuiltinModule` costs nothing there. (Node < 20.16 has no
 * `getBuiltinModule`; there a cluster worker is not detected here.)
 */
function isClusterWorker(): boolean {
  if (process.channel === undefined) return false;
  // Typed as always present by @types/node 22; absent before Node 20.16.
  const hasGetBuiltin = typeof (process as { getBuiltinModule?: unknown }).getBuiltinModule;
  if (hasGetBuiltin !== 'function') return false;
  const cluster = process.getBuiltinModule('node:cluster') as unknown as { isWorker?: boolean };
  return cluster.isWorker === true;
}

/**
 * The error for a process whose parent is not the master. When the master is a near ancestor,
 * a wrapper (npm, npx, tsx, nodemon, `sh -c`) runs between them: einhorn counts and signals
 * the wrapper, which neither forwards `SIGUSR2` nor ACKs, so the message names the command line
 * that runs this process directly.
 */
function mismatch(masterPid: number, ppid: number): EinhornEnvError {
  const wrappers = wrappersBelow(masterPid, ppid);
  if (wrappers === undefined) {
    return new EinhornEnvError(
      'ERR_EINHORN_MASTER_PID_MISMATCH',
      `Expected EINHORN_MASTER_PID (${masterPid}) to equal the parent pid (${ppid}), but they differ; this process inherited a worker's environment (a grandchild), so it is not the worker: scrub EINHORN_* before spawning it, or run it directly under the master.`,
      { details: { masterPid, ppid, wrapper: null, command: null } },
    );
  }
  const wrapper = wrappers.map((pid) => commandLineOf(pid) ?? `pid ${pid}`).join(' → ');
  const command = ownCommandLine();
  return new EinhornEnvError(
    'ERR_EINHORN_MASTER_PID_MISMATCH',
    `Expected this process to be the master's child, but ${JSON.stringify(wrapper)} runs between the master (${masterPid}) and it. If that is a wrapper (npm start, npx, tsx, nodemon, sh -c), einhorn counts and signals the wrapper, which neither ACKs nor forwards SIGUSR2: give the master this command line instead: ${command} (if it is a worker that spawned this process, this process is no worker: scrub EINHORN_* from its environment).`,
    { details: { masterPid, ppid, wrapper, command } },
  );
}

/**
 * Non-throwing twin of {@link getWorkerContext}.
 *
 * @param options - see {@link ContextOptions}.
 * @returns `{ success: true, data }` with the context, or `{ success: false, error }` with the
 *   `EinhornEnvError` that {@link getWorkerContext} would throw.
 * @throws EinhornError `ERR_EINHORN_INVALID_OPTIONS` when `options` is malformed (a programming error).
 * @example
 * ```ts
 * const result = safeGetWorkerContext();
 * const index = result.success ? result.data.childIndex : undefined;
 * ```
 */
export function safeGetWorkerContext(
  options: ContextOptions = {},
): SafeResult<WorkerContext, EinhornEnvError> {
  const validator = new OptionsValidator(options);
  checkContextOptions(validator);
  validator.throwIfInvalid('the worker context options');
  const source = options.env ?? process.env;
  const parsed = safeParseEinhornEnv(source, { legacyFds: options.legacyFds ?? true });
  if (!parsed.success) {
    const systemd =
      parsed.error.code === 'ERR_EINHORN_ENV_MISSING' && options.systemd !== false
        ? readSystemdListenEnv(source, process.pid)
        : undefined;
    if (systemd === undefined) return parsed;
    return {
      success: true,
      data: Object.freeze({
        fds: systemd.fds,
        fdSource: 'systemd',
        ...(systemd.names === undefined ? {} : { fdNames: systemd.names }),
        manager: 'systemd',
        masterPid: options.ppid ?? process.ppid,
        pid: process.pid,
      }),
    };
  }
  const env = parsed.data;
  const fail = (
    code: EinhornEnvError['code'],
    message: string,
    details: Record<string, number | string | null>,
  ) => ({ success: false, error: new EinhornEnvError(code, message, { details }) }) as const;
  if (env.masterPid === undefined) {
    return fail(
      'ERR_EINHORN_NOT_A_WORKER',
      'Expected EINHORN_MASTER_PID next to the other EINHORN_* variables, but it is not set; this process was not spawned by an Einhorn master (stale variables?), so run it under einhorn or scrub EINHORN_* before starting it.',
      { variable: 'EINHORN_MASTER_PID', found: null },
    );
  }
  if (isClusterWorker()) {
    return fail(
      'ERR_EINHORN_CLUSTER_WORKER',
      'Expected an Einhorn worker process, but found a node:cluster worker, whose listen({ fd }) would be routed through the cluster primary; let Einhorn spawn one process per worker instead of using node:cluster.',
      { pid: process.pid },
    );
  }
  const ppid = options.ppid ?? process.ppid;
  if ((options.verifyParent ?? true) && env.masterPid !== ppid)
    return { success: false, error: mismatch(env.masterPid, ppid) };
  return {
    success: true,
    data: Object.freeze({ ...env, masterPid: env.masterPid, manager: 'einhorn', pid: process.pid }),
  };
}

/**
 * Reads the Einhorn environment and checks that this process is the worker it describes:
 * `EINHORN_MASTER_PID` must be set and equal the parent pid (einhorn's `ensure_worker!`,
 * docs/reference/protocol.md, "Worker environment"), and the process must not be a `node:cluster` worker.
 *
 * @param options - see {@link ContextOptions}.
 * @returns the frozen context: fds, command-socket path, master pid, child index and own pid.
 * @throws EinhornEnvError `ERR_EINHORN_ENV_MISSING` (no Einhorn variable at all),
 *   `ERR_EINHORN_ENV_INVALID` (a malformed variable), `ERR_EINHORN_NOT_A_WORKER` (no
 *   `EINHORN_MASTER_PID`), `ERR_EINHORN_CLUSTER_WORKER`, `ERR_EINHORN_MASTER_PID_MISMATCH`
 *   (a grandchild or a wrapper); EinhornError `ERR_EINHORN_INVALID_OPTIONS`.
 * @example
 * ```ts
 * const { childIndex, fds } = getWorkerContext();
 * ```
 */
export function getWorkerContext(options: ContextOptions = {}): WorkerContext {
  const result = safeGetWorkerContext(options);
  if (!result.success) throw result.error;
  return result.data;
}

/**
 * Whether this process is an Einhorn worker: the boolean twin of {@link getWorkerContext}
 * (einhorn's `is_worker?`). A grandchild that inherited the variables gets `false`.
 *
 * @param options - see {@link ContextOptions}.
 * @returns `true` when {@link getWorkerContext} would succeed.
 * @throws EinhornError `ERR_EINHORN_INVALID_OPTIONS` when `options` is malformed.
 * @example
 * ```ts
 * if (isEinhornWorker()) await ack();
 * ```
 */
export function isEinhornWorker(options: ContextOptions = {}): boolean {
  return safeGetWorkerContext(options).success;
}
