import { EinhornEnvError } from './errors/errors.ts';
import { ENV, ENV_PREFIX } from './internal/env-names.ts';
import { readEinhornEnv } from './internal/read-env.ts';
import { OptionsValidator } from './options/options-validator.ts';
import type {
  EinhornEnv,
  EnvSource,
  ParseEnvOptions,
  SafeResult,
  SerializeEnvOptions,
} from './types.ts';

export { ENV };

/**
 * The name of the variable holding the `index`-th listening fd.
 *
 * @param index - socket index in `-b` order, from 0.
 * @returns `EINHORN_FD_<index>`.
 * @throws EinhornError `ERR_EINHORN_INVALID_OPTIONS` when `index` is not a non-negative integer.
 * @example
 * ```ts
 * fdEnvKey(1); // 'EINHORN_FD_1'
 * ```
 */
export function fdEnvKey(index: number): `EINHORN_FD_${number}` {
  const v = new OptionsValidator({ index });
  if (typeof index === 'number') v.integer('index', 0);
  else v.fail('index', `an integer in [0, ${Number.MAX_SAFE_INTEGER}]`);
  v.throwIfInvalid('fdEnvKey() arguments', 'pass 0 for the first -b socket');
  return `EINHORN_FD_${index}`;
}

/**
 * Non-throwing twin of {@link parseEinhornEnv}.
 *
 * @param env - variables to read. @default process.env
 * @param options - see {@link ParseEnvOptions}.
 * @returns `{ success: true, data }` or `{ success: false, error }` with an {@link EinhornEnvError}.
 * @example
 * ```ts
 * const result = safeParseEinhornEnv();
 * const fds = result.success ? result.data.fds : [];
 * ```
 */
export function safeParseEinhornEnv(
  env: EnvSource = process.env,
  options: ParseEnvOptions = {},
): SafeResult<EinhornEnv, EinhornEnvError> {
  const result = readEinhornEnv(env, options);
  if (result.ok) return { success: true, data: result.env };
  const { code, message, details } = result.issue;
  return { success: false, error: new EinhornEnvError(code, message, { details }) };
}

/**
 * Reads and validates the worker environment Einhorn sets (docs/reference/protocol.md, "Worker environment").
 *
 * - Fds come from `EINHORN_FD_COUNT` and `EINHORN_FD_0..COUNT-1`; stale `EINHORN_FD_<k>` with
 *   k ≥ COUNT are ignored. Without `EINHORN_FD_COUNT`, the legacy `EINHORN_FDS` is used
 *   (unless `legacyFds: false`); with neither, `fds` is empty and `fdSource` is `'none'`.
 * - "Missing" means none of `EINHORN_FD_COUNT`, `EINHORN_FDS`, `EINHORN_SOCK_PATH`,
 *   `EINHORN_SOCK_FD`, `EINHORN_MASTER_PID`, `EINHORN_CHILD_INDEX` is set. Any one of them
 *   makes the others optional, but each one present must be well-formed.
 * - This only reads variables; checking that the parent pid is the master is `@einhorn/worker`'s job.
 *
 * @param env - variables to read. @default process.env
 * @param options - see {@link ParseEnvOptions}.
 * @returns the validated, frozen environment.
 * @throws EinhornEnvError `ERR_EINHORN_ENV_MISSING` when no Einhorn variable is set;
 *   `ERR_EINHORN_ENV_INVALID` when one is malformed (`details.variable` names it).
 * @example
 * ```ts
 * const { fds, masterPid } = parseEinhornEnv({ EINHORN_FD_COUNT: '1', EINHORN_FD_0: '7', EINHORN_MASTER_PID: '42' });
 * // fds = [7], masterPid = 42
 * ```
 */
export function parseEinhornEnv(
  env: EnvSource = process.env,
  options: ParseEnvOptions = {},
): EinhornEnv {
  const result = safeParseEinhornEnv(env, options);
  if (!result.success) throw result.error;
  return result.data;
}

/**
 * Turns an {@link EinhornEnv} into the variables a master sets for a worker, and checks
 * that they parse back to the same values.
 *
 * @param env - what to tell the worker.
 * @param options - see {@link SerializeEnvOptions}.
 * @returns a new object with `EINHORN_FD_COUNT`, one `EINHORN_FD_<i>` per fd, and the optional variables that are set.
 * @throws EinhornEnvError `ERR_EINHORN_ENV_INVALID` when a value is not a valid fd, pid or index.
 * @example
 * ```ts
 * const vars = serializeEinhornEnv({ fds: [7, 9], fdSource: 'count', masterPid: process.pid, childIndex: 0 });
 * spawn(cmd, args, { env: { ...stripEinhornEnv(process.env), ...vars } });
 * ```
 */
export function serializeEinhornEnv(
  env: EinhornEnv,
  options: SerializeEnvOptions = {},
): Record<string, string> {
  const out: Record<string, string> = { [ENV.FD_COUNT]: String(env.fds.length) };
  env.fds.forEach((fd, index) => {
    out[fdEnvKey(index)] = String(fd);
  });
  if (options.legacyFds === true) out[ENV.FDS] = env.fds.join(' ');
  if (env.sockPath !== undefined) out[ENV.SOCK_PATH] = env.sockPath;
  if (env.sockFd !== undefined) out[ENV.SOCK_FD] = String(env.sockFd);
  if (env.masterPid !== undefined) out[ENV.MASTER_PID] = String(env.masterPid);
  if (env.childIndex !== undefined) out[ENV.CHILD_INDEX] = String(env.childIndex);
  parseEinhornEnv(out);
  return out;
}

/**
 * Copies an environment without any `EINHORN_*` variable, so a master or a worker can
 * spawn processes that do not inherit stale values (PROTOCOL P13). Undefined values are dropped.
 *
 * @param env - the environment to copy; it is not modified.
 * @returns a new plain object.
 * @example
 * ```ts
 * spawn('child', [], { env: stripEinhornEnv(process.env) });
 * ```
 */
export function stripEinhornEnv(env: EnvSource): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && !key.startsWith(ENV_PREFIX)) out[key] = value;
  }
  return out;
}
