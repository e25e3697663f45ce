import {
  EinhornAckError,
  EinhornEnvError,
  encodeMessage,
  isEinhornError,
  workerAck,
  workerPing,
} from '@einhorn/core';
import type { SafeResult } from '@einhorn/core';
import { getWorkerContext } from './context.ts';
import { publishAck } from './diagnostics.ts';
import { describeUnixSocket, inspectFd } from './internal/fd-info.ts';
import { processState } from './internal/process-state.ts';
import { sendLine } from './internal/send-line.ts';
import type { LineTarget } from './internal/send-line.ts';
import { OptionsValidator, checkContextOptions } from './internal/validate.ts';
import type { AckOptions, CommandSocketOptions, PingOptions, WorkerContext } from './types.ts';

const DEFAULT_TIMEOUT_MS = 5000;

/** Errors after which the `'auto'` route may try the `-g` fd instead of the path. */
const PATH_UNUSABLE = new Set([
  'ENOENT',
  'ECONNREFUSED',
  'EACCES',
  'EPERM',
  'ENOTDIR',
  'ENAMETOOLONG',
]);

function validate(
  options: CommandSocketOptions,
  what: string,
  extra?: (v: OptionsValidator) => void,
): void {
  const v = new OptionsValidator(options);
  checkContextOptions(v);
  v.string('path');
  v.integer('timeoutMs', 1, 2 ** 31 - 1);
  v.integer('pid', 1, 2 ** 31 - 1);
  v.abortSignal('signal');
  extra?.(v);
  v.throwIfInvalid(what);
}

function pathOf(context: WorkerContext, options: CommandSocketOptions): string {
  const path = options.path ?? context.sockPath;
  if (path === undefined) {
    throw new EinhornEnvError(
      'ERR_EINHORN_ENV_MISSING',
      'Expected EINHORN_SOCK_PATH (the master command socket) to be set, but it is not; run under a master that sets it, or pass the path option.',
      { details: { variable: 'EINHORN_SOCK_PATH', found: null } },
    );
  }
  return path;
}

/** The `-g` fd, when it is a connected UNIX stream socket; `undefined` with the reason otherwise. */
function usableSockFd(context: WorkerContext): { fd: number } | { reason: string } {
  const fd = context.sockFd;
  if (fd === undefined) return { reason: 'EINHORN_SOCK_FD is not set' };
  const info = inspectFd(fd);
  if (info.kind === 'closed') return { reason: `EINHORN_SOCK_FD=${fd} is not open` };
  if (info.kind === 'not-socket')
    return { reason: `EINHORN_SOCK_FD=${fd} is ${info.type}, not a socket` };
  const unix = describeUnixSocket(info.inode);
  if (
    process.platform === 'linux' &&
    (unix?.type !== 'stream' || !unix.connected || unix.listening)
  ) {
    return { reason: `EINHORN_SOCK_FD=${fd} is a socket but not a connected UNIX stream socket` };
  }
  return { fd };
}

function fdRefused(reason: string, cause?: unknown): EinhornAckError {
  return new EinhornAckError(
    'ERR_EINHORN_ACK_CONNECT',
    `Expected EINHORN_SOCK_FD to be a UNIX socket connected to the master, but ${reason}; nothing was written to it. Use via: 'auto' or 'path' (einhorn -g does not work for exec'd workers).`,
    {
      ...(cause === undefined ? {} : { cause }),
      details: { reason },
    },
  );
}

async function deliver(
  line: string,
  context: WorkerContext,
  options: AckOptions,
): Promise<'path' | 'fd'> {
  const send = (target: LineTarget): Promise<void> =>
    sendLine(target, line, {
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      signal: options.signal,
    });
  const via = options.via ?? 'auto';
  if (via === 'fd') {
    const fd = usableSockFd(context);
    if ('reason' in fd) throw fdRefused(fd.reason);
    await send(fd);
    return 'fd';
  }
  const path = options.path ?? context.sockPath;
  if (via === 'auto' && path === undefined) {
    const fd = usableSockFd(context);
    if ('fd' in fd) {
      await send(fd);
      return 'fd';
    }
  }
  try {
    await send({ path: pathOf(context, options) });
    return 'path';
  } catch (error) {
    const errno = isEinhornError(error, 'ERR_EINHORN_ACK_CONNECT')
      ? (error.details?.['errno'] as string | null | undefined)
      : undefined;
    const fd =
      via === 'auto' && typeof errno === 'string' && PATH_UNUSABLE.has(errno)
        ? usableSockFd(context)
        : undefined;
    if (fd === undefined || 'reason' in fd) throw error;
    await send(fd);
    return 'fd';
  }
}

/**
 * Tells the master this worker is ready: sends `{"command":"worker:ack","pid":<pid>}` on a
 * fresh connection to `EINHORN_SOCK_PATH` and waits for the master to close it (PROTOCOL §9.1;
 * einhorn's `ack!`). Safe in any ACK mode: a timer-mode master ignores it.
 *
 * Idempotent per process: every call after the first returns the first call's promise
 * (whatever its options), across duplicate copies of this package. After a failure the next
 * call tries again. Install shutdown handling (`onGracefulShutdown`) before ACKing.
 *
 * @param options - see {@link AckOptions}.
 * @returns a promise that resolves once the master has read the line and closed the connection.
 * @throws EinhornEnvError (rejects) `ERR_EINHORN_ENV_MISSING`, `ERR_EINHORN_ENV_INVALID`,
 *   `ERR_EINHORN_NOT_A_WORKER`, `ERR_EINHORN_MASTER_PID_MISMATCH` (a grandchild never ACKs),
 *   `ERR_EINHORN_CLUSTER_WORKER`; EinhornAckError `ERR_EINHORN_ACK_CONNECT`,
 *   `ERR_EINHORN_ACK_TIMEOUT`; EinhornError `ERR_EINHORN_INVALID_OPTIONS`; `signal.reason` when aborted.
 * @example
 * ```ts
 * await listenOnFd(server);
 * await ack();
 * ```
 */
export async function ack(options: AckOptions = {}): Promise<void> {
  validate(options, 'ack() options', (v) => {
    v.oneOf('via', ['auto', 'path', 'fd']);
  });
  const state = processState();
  if (state.ack !== undefined) {
    await state.ack;
    return;
  }
  const attempt = (async () => {
    const context = getWorkerContext(options);
    const pid = options.pid ?? context.pid;
    const via = await deliver(encodeMessage(workerAck(pid)), context, options);
    publishAck({ command: 'worker:ack', pid, via });
  })();
  state.ack = attempt;
  attempt.catch(() => {
    if (state.ack === attempt) state.ack = undefined;
  });
  await attempt;
}

/**
 * Non-throwing twin of {@link ack} (einhorn's `ack` next to `ack!`): never rejects.
 *
 * @param options - see {@link AckOptions}.
 * @returns `{ success: true, data: undefined }` once delivered, or `{ success: false, error }`
 *   with the error {@link ack} would reject with (an `EinhornError`, or the abort reason) (a grandchild gets `ERR_EINHORN_MASTER_PID_MISMATCH`
 *   and sends nothing).
 * @example
 * ```ts
 * const result = await safeAck();
 * if (!result.success) log.warn(result.error.code);
 * ```
 */
export async function safeAck(options: AckOptions = {}): Promise<SafeResult<undefined, Error>> {
  try {
    await ack(options);
    return { success: true, data: undefined };
  } catch (error) {
    return { success: false, error: error instanceof Error ? error : new Error(String(error)) };
  }
}

/**
 * Sends `{"command":"worker:ping","pid":<pid>,"request_id":<requestId>}` on a fresh connection
 * to the command-socket path (PROTOCOL §9.2; einhorn ≥ 0.7.11). The master only records the
 * time and id in its `state`; use it as a liveness heartbeat. Not idempotent: each call pings.
 *
 * @param requestId - any string; shows up as `pinged_request_id` in the master's state.
 * @param options - see {@link PingOptions}.
 * @returns a promise that resolves once the master has read the line and closed the connection.
 * @throws EinhornEnvError (rejects) as {@link ack}; EinhornAckError `ERR_EINHORN_ACK_CONNECT`,
 *   `ERR_EINHORN_ACK_TIMEOUT`; EinhornError `ERR_EINHORN_INVALID_OPTIONS`; `signal.reason` when aborted.
 * @example
 * ```ts
 * setInterval(() => void ping(new Date().toISOString()).catch(reportError), 10_000).unref();
 * ```
 */
export async function ping(requestId: string, options: PingOptions = {}): Promise<void> {
  validate(options, 'ping() options', (v) => {
    if (typeof requestId !== 'string') v.fail('requestId', 'a string', requestId);
  });
  const context = getWorkerContext(options);
  const pid = options.pid ?? context.pid;
  await sendLine({ path: pathOf(context, options) }, encodeMessage(workerPing(pid, requestId)), {
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    signal: options.signal,
  });
  publishAck({ command: 'worker:ping', pid, via: 'path', requestId });
}
