import { createServer } from 'node:http';
import type { RequestListener, Server } from 'node:http';
import type { Socket } from 'node:net';
import { OptionsValidator } from '@einhorn/core';
import { serve } from '@einhorn/net';
import type { ServeHandle } from '@einhorn/net';
import { isShuttingDown, safeGetWorkerContext } from '@einhorn/worker';
import type { ServeExpressOptions } from './types.ts';
import { createWorkerInfo, socketRegistry } from './worker-info.ts';

/** Checks what only serveExpress() takes; `serve()` checks the rest with the same validator. */
function validate(app: unknown, options: unknown): void {
  const args = new OptionsValidator({ app });
  args.func('app');
  args.throwIfInvalid('serveExpress() arguments', 'pass express() or any (req, res) listener');
  const v = new OptionsValidator(options);
  v.object('serverOptions');
  v.throwIfInvalid('serveExpress() options');
}

/**
 * Runs an Express app (4 or 5), or any `(req, res)` request listener, as an Einhorn worker:
 * creates an `http.Server` for it and hands it to `serve()` from `@einhorn/net`, which adopts
 * the inherited socket (`EINHORN_FD_<index>`), ACKs, and on `SIGUSR2`, `SIGTERM` or `SIGINT`
 * drains without dropping
 * a request (`Connection: close` on every later response, idle keep-alive sockets closed after
 * `idleGraceMs`) and exits. With `fallback` it listens on a port when not under Einhorn.
 *
 * @param app - an Express application (`express()`), a router-like listener, or any
 *   `http.RequestListener`. Only the listener signature is used, so no Express version is
 *   assumed.
 * @param options - see {@link ServeExpressOptions}.
 * @returns the `serve()` handle (server, context, state, `isDraining`, `ack()`, `close()`, `closed`).
 * @throws EinhornError (rejects) `ERR_EINHORN_INVALID_OPTIONS` when `app` is not a function or
 *   an option is malformed; and everything `serve()` rejects with: EinhornEnvError
 *   `ERR_EINHORN_ENV_MISSING` (not under Einhorn and no `fallback`), `ERR_EINHORN_ENV_INVALID`,
 *   `ERR_EINHORN_NOT_A_WORKER`, `ERR_EINHORN_MASTER_PID_MISMATCH`, `ERR_EINHORN_CLUSTER_WORKER`;
 *   EinhornFdError `ERR_EINHORN_FD_OUT_OF_RANGE`, `ERR_EINHORN_FD_INVALID`,
 *   `ERR_EINHORN_FD_LISTEN_FAILED`, `ERR_EINHORN_UNSUPPORTED_PLATFORM`; EinhornAckError
 *   `ERR_EINHORN_ACK_CONNECT`, `ERR_EINHORN_ACK_TIMEOUT`.
 * @example
 * ```ts
 * import express from 'express';
 * import { createHealthHandler, serveExpress } from '@einhorn/express';
 *
 * const app = express();
 * app.get('/healthz', createHealthHandler());
 * app.get('/', (req, res) => res.send(`hello from ${process.pid}`));
 * await serveExpress(app, { fallback: { port: 3000 } });
 * ```
 */
export async function serveExpress(
  app: RequestListener,
  options: ServeExpressOptions = {},
): Promise<ServeHandle<Server>> {
  validate(app, options);
  const { serverOptions = {}, ...serveOptions } = options;

  // serve() derives the same context from the same options; reading it here lets requests that
  // arrive before serve() resolves (between listen and ACK) already see it.
  const result = safeGetWorkerContext(serveOptions);
  const served: { handle?: ServeHandle<Server> } = {};
  const info = createWorkerInfo(
    result.success ? result.data : undefined,
    () => served.handle?.isDraining ?? isShuttingDown(),
  );

  const server = createServer(serverOptions, app);
  const registry = socketRegistry();
  server.on('connection', (socket: Socket) => {
    registry.set(socket, info);
  });
  served.handle = await serve(server, serveOptions);
  return served.handle;
}
