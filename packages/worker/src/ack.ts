import {
  EinhornAckError,
  EinhornEnvError,
  encodeMessage,
  isEinhornError,
  unescapeLine,
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
import type {
  AckOptions,
  AckResult,
  CommandSocketOptions,
  PingOptions,
  WorkerContext,
} from './types.ts';

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
): Promise<{ via: 'path' | 'fd'; reply: string }> {
  const send = (target: LineTarget): Promise<string> =>
    sendLine(target, line, {
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      signal: options.signal,
    });
  const via = options.via ?? 'auto';
  if (via === 'fd') {
    const fd = usableSockFd(context);
    if ('reason' in fd) throw fdRefused(fd.reason);
    return { via: 'fd', reply: await send(fd) };
  }
  const path = options.path ?? context.sockPath;
  if (via === 'auto' && path === undefined) {
    const fd = usableSockFd(context);
    if ('fd' in fd) return { via: 'fd', reply: await send(fd) };
  }
  try {
    return { via: 'path', reply: await send({ path: pathOf(context, options) }) };
  } catch (error) {
    const errno = isEinhornError(error, 'ERR_EINHORN_ACK_CONNECT')
      ? (error.details?.['errno'] as string | null | undefined)
      : undefined;
    const fd =
      via === 'auto' && typeof errno === 'string' && PATH_UNUSABLE.has(errno)
        ? usableSockFd(context)
        : undefined;
    if (fd === undefined || 'reason' in fd) throw error;
    return { via: 'fd', reply: await send(fd) };
  }
}

/** The `message` of the first reply line (einhorn-node writes compact JSON), if any. */
function replyMessage(reply: string): string | undefined {
  const line = reply.split('\n', 1)[0] ?? '';
  if (line === '') return undefined;
  try {
    const parsed: unknown = JSON.parse(unescapeLine(line));
    const message = (parsed as { message?: unknown } | null)?.message;
    return typeof message === 'string' ? message : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads einhorn-node's confirmation (`ACKed`, or `Not ACKed: <why>`). Rejects only when the
 * master does not know this pid: such a worker is never counted as up. An ACK that was already
 * counted, or a master in timer mode (it ACKs workers itself), is not a failure.
 */
function confirmation(reply: string, pid: number, via: 'path' | 'fd'): AckResult {
  const message = replyMessage(reply);
  if (message === undefined) return { via, confirmed: false };
  if (message.startsWith('Not ACKed: no worker with pid')) {
    throw new EinhornAckError(
      'ERR_EINHORN_ACK_REJECTED',
      `Expected the master to count the ACK for pid ${pid}, but it answered ${JSON.stringify(message)}; check that the master spawned this very process (no wrapper in between) or pass the pid it knows.`,
      { details: { pid, message } },
    );
  }
  const confirmed = message === 'ACKed' || message.includes('already ACKed');
  return { via, confirmed, message };
}

/**
 * Tells the master this worker is ready: sends `{"command":"worker:ack","pid":<pid>}` on a
 * fresh connection to `EINHORN_SOCK_PATH` and waits for the master to close it (docs/reference/protocol.md, "ACK";
 * einhorn's `ack!`). Safe in any ACK mode: a timer-mode master ignores it.
 *
 * Idempotent per process: every call after the first returns the first call's promise
 * (whatever its options), across duplicate copies of this package. After a failure the next
 * call tries again. Install shutdown handling (`onGracefulShutdown`) before ACKing.
 *
 * @param options - see {@link AckOptions}.
 * With `confirm: true`, einhorn-node answers whether the ACK counted before it closes the
 * connection (an einhorn-node extension, PROTOCOL P10); the Ruby einhorn never answers, so
 * there it behaves like a plain ACK (`confirmed: false`). Under systemd socket activation
 * nothing is sent (`via: 'none'`): systemd has no ACK.
 *
 * @returns a promise of an {@link AckResult}, once the master has read the line and closed the connection.
 * @throws EinhornEnvError (rejects) `ERR_EINHORN_ENV_MISSING`, `ERR_EINHORN_ENV_INVALID`,
 *   `ERR_EINHORN_NOT_A_WORKER`, `ERR_EINHORN_MASTER_PID_MISMATCH` (a grandchild never ACKs),
 *   `ERR_EINHORN_CLUSTER_WORKER`; EinhornAckError `ERR_EINHORN_ACK_CONNECT`,
 *   `ERR_EINHORN_ACK_TIMEOUT`, `ERR_EINHORN_ACK_REJECTED` (einhorn-node, with `confirm`: the
 *   master knows no worker with this pid); EinhornError `ERR_EINHORN_INVALID_OPTIONS`;
 *   `signal.reason` when aborted.
 * @example
 * ```ts
 * await listenOnFd(server);
 * await ack();
 * ```
 */
export async function ack(options: AckOptions = {}): Promise<AckResult> {
  validate(options, 'ack() options', (v) => {
    v.oneOf('via', ['auto', 'path', 'fd']);
    v.boolean('confirm');
  });
  const state = processState();
  if (state.ack !== undefined) return state.ack;
  const attempt = (async (): Promise<AckResult> => {
    const context = getWorkerContext(options);
    // systemd has no ACK: a socket-activated service is up once it runs (Type=simple/exec).
    if (context.manager === 'systemd') return { via: 'none', confirmed: false };
    const pid = options.pid ?? context.pid;
    const command =
      options.confirm === true ? { ...workerAck(pid), confirm: true } : workerAck(pid);
    const { via, reply } = await deliver(encodeMessage(command), context, options);
    const result =
      options.confirm === true ? confirmation(reply, pid, via) : { via, confirmed: false };
    publishAck({ command: 'worker:ack', pid, via });
    return result;
  })();
  state.ack = attempt;
  attempt.catch(() => {
    if (state.ack === attempt) state.ack = undefined;
  });
  return attempt;
}

/**
 * Non-throwing twin of {@link ack} (einhorn's `ack` next to `ack!`): never rejects.
 *
 * @param options - see {@link AckOptions}.
 * @returns `{ success: true, data }` with the {@link AckResult} once delivered, or `{ success: false, error }`
 *   with the error {@link ack} would reject with (an `EinhornError`, or the abort reason) (a grandchild gets `ERR_EINHORN_MASTER_PID_MISMATCH`
 *   and sends nothing).
 * @example
 * ```ts
 * const result = await safeAck();
 * if (!result.success) log.warn(result.error.code);
 * ```
 */
export async function safeAck(options: AckOptions = {}): Promise<SafeResult<AckResult, Error>> {
  try {
    return { success: true, data: await ack(options) };
  } catch (error) {
    return { success: false, error: error instanceof Error ? error : new Error(String(error)) };
  }
}

/**
 * Sends `{"command":"worker:ping","pid":<pid>,"request_id":<requestId>}` on a fresh connection
 * to the command-socket path (docs/reference/protocol.md, "Ping"; einhorn ≥ 0.7.11). The master only records the
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
  if (context.manager === 'systemd') return;
  const pid = options.pid ?? context.pid;
  await sendLine({ path: pathOf(context, options) }, encodeMessage(workerPing(pid, requestId)), {
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    signal: options.signal,
  });
  publishAck({ command: 'worker:ping', pid, via: 'path', requestId });
}
