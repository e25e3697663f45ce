import { Server } from 'node:net';
import type { EinhornEnvError } from '@einhorn/core';
import { EinhornFdError } from '@einhorn/core';
import { ack, listenOnFd, safeGetWorkerContext } from '@einhorn/worker';
import type { AckOptions, AckResult, WorkerContext } from '@einhorn/worker';
import { installDrain } from './drain-on-shutdown.ts';
import { validateServeOptions } from './internal/validate.ts';
import type { FallbackListen, ServeHandle, ServeOptions } from './types.ts';

/** Einhorn worker, or the explicit development fallback; anything else is an error. */
function resolveMode(
  options: ServeOptions,
): { context: WorkerContext } | { fallback: FallbackListen } {
  const result = safeGetWorkerContext(options);
  if (result.success) return { context: result.data };
  if (options.fallback !== undefined && result.error.code === 'ERR_EINHORN_ENV_MISSING')
    return { fallback: options.fallback };
  throw result.error satisfies EinhornEnvError;
}

function listenOnFallback(
  server: Server,
  fallback: FallbackListen,
  backlog: number | undefined,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onError = (cause: NodeJS.ErrnoException): void => {
      reject(
        new EinhornFdError(
          'ERR_EINHORN_FD_LISTEN_FAILED',
          `Expected to listen on the development fallback ${JSON.stringify(fallback)}, but it failed with ${cause.code ?? cause.message}; choose a free port or path.`,
          { cause, details: { errno: cause.code ?? null } },
        ),
      );
    };
    server.once('error', onError);
    server.listen({ ...fallback, ...(backlog === undefined ? {} : { backlog }) }, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

function ackOptions(options: ServeOptions): AckOptions {
  const { env, ppid, verifyParent, legacyFds, signal, ackTimeoutMs, ackVia, ackConfirm } = options;
  return {
    ...(env === undefined ? {} : { env }),
    ...(ppid === undefined ? {} : { ppid }),
    ...(verifyParent === undefined ? {} : { verifyParent }),
    ...(legacyFds === undefined ? {} : { legacyFds }),
    ...(signal === undefined ? {} : { signal }),
    ...(ackTimeoutMs === undefined ? {} : { timeoutMs: ackTimeoutMs }),
    ...(ackVia === undefined ? {} : { via: ackVia }),
    ...(ackConfirm === undefined ? {} : { confirm: ackConfirm }),
  };
}

/**
 * Runs `server` as an Einhorn worker from start to exit: installs the graceful-shutdown
 * handler, adopts the inherited listening socket (`EINHORN_FD_<index>`, keeping the master's
 * backlog), waits for `ready`, ACKs, and on `SIGUSR2`, `SIGTERM` or `SIGINT` (see `signals`)
 * drains without dropping a request, with the engine of {@link drainOnShutdown}:
 * it stops accepting at once (the master keeps the socket, so nobody is refused), lets
 * in-flight requests finish, answers them and any later request on a kept-alive socket with
 * `Connection: close`, closes idle sockets after `idleGraceMs`, destroys what is left at the
 * `timeoutMs` deadline, and exits (0 when drained, 3 at the deadline; see `exitCodes`).
 *
 * The shutdown handler is installed before the ACK is sent (check 32), and a worker told to
 * stop before it ACKed never ACKs.
 *
 * @param server - a `net.Server`, `http.Server`, `https.Server` or `node:http2` server
 *   (`createServer()` for h2c, `createSecureServer()` for TLS) that is not listening yet.
 * @param options - see {@link ServeOptions}.
 * @returns a {@link ServeHandle} once the server listens (and, with `ack: 'auto'`, the master has the ACK).
 * @throws EinhornEnvError (rejects) `ERR_EINHORN_ENV_MISSING` (not under Einhorn and no
 *   `fallback`), `ERR_EINHORN_ENV_INVALID`, `ERR_EINHORN_NOT_A_WORKER`,
 *   `ERR_EINHORN_MASTER_PID_MISMATCH`, `ERR_EINHORN_CLUSTER_WORKER`; EinhornFdError
 *   `ERR_EINHORN_FD_OUT_OF_RANGE`, `ERR_EINHORN_FD_INVALID`, `ERR_EINHORN_FD_LISTEN_FAILED`,
 *   `ERR_EINHORN_UNSUPPORTED_PLATFORM`; EinhornAckError `ERR_EINHORN_ACK_CONNECT`,
 *   `ERR_EINHORN_ACK_TIMEOUT`; EinhornError `ERR_EINHORN_INVALID_OPTIONS`; whatever `ready` throws.
 *   On any failure the server is closed and the signal handler removed.
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { serve } from '@einhorn/net';
 *
 * const handle = await serve(createServer(app), { fallback: { port: 3000 } });
 * logger.info(`worker ${handle.context?.childIndex ?? 'dev'} listening`);
 * ```
 */
export async function serve<TServer extends Server>(
  server: TServer,
  options: ServeOptions = {},
): Promise<ServeHandle<TServer>> {
  validateServeOptions(server, options);
  const mode = resolveMode(options);
  const context = 'context' in mode ? mode.context : undefined;
  const sendAck = (): Promise<AckResult | undefined> =>
    context === undefined ? Promise.resolve(undefined) : ack(ackOptions(options));
  // Installed before listening and before the ACK (check 32).
  const drain = installDrain(server, options);
  try {
    if ('fallback' in mode)
      await listenOnFallback(
        server,
        mode.fallback,
        typeof options.backlog === 'number' ? options.backlog : undefined,
      );
    else await listenOnFd(server, options);
    // Told to stop while the listen was in flight: the drain found nothing to close yet.
    if (drain.state !== 'serving') Server.prototype.close.call(server);
    if (drain.state === 'serving') await options.ready?.();
    if (drain.state === 'serving' && (options.ack ?? 'auto') === 'auto') await sendAck();
  } catch (error) {
    drain.uninstall();
    if (server.listening) Server.prototype.close.call(server);
    throw error;
  }
  return {
    server,
    context,
    connections: drain.connections,
    closed: drain.closed,
    get state() {
      return drain.state;
    },
    get isDraining() {
      return drain.isDraining;
    },
    ack: sendAck,
    close: () => drain.close(),
    uninstall: () => {
      drain.uninstall();
    },
  };
}
