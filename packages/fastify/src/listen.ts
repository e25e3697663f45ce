import { Server as NetServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { EinhornEnvError, EinhornError, EinhornFdError } from '@einhorn/core';
import { listenOnFd } from '@einhorn/worker';
import { PACKAGE_NAME, resolveListenOptions } from './options.ts';
import { stateOf, type PluginState } from './state.ts';
import type { ListenEinhornOptions } from './types.ts';

function pluginMissing(): EinhornError<'ERR_EINHORN_INVALID_OPTIONS'> {
  return new EinhornError(
    'ERR_EINHORN_INVALID_OPTIONS',
    `${PACKAGE_NAME}: expected the fastifyEinhorn plugin to be registered on this instance before listenEinhorn(app), but app.einhorn is missing; call app.register(fastifyEinhorn) first.`,
    {
      cause: new TypeError('app.einhorn is missing'),
      details: { option: 'app' },
    },
  );
}

function notAWorker(state: PluginState): Error {
  return (
    state.contextError ??
    new EinhornEnvError(
      'ERR_EINHORN_NOT_A_WORKER',
      `${PACKAGE_NAME}: expected this process to be an Einhorn worker, but the plugin found no worker context; run under einhorn or pass fallback: { port }.`,
      { cause: new Error('no worker context') },
    )
  );
}

function describeError(error: unknown): string {
  const code = error instanceof Error ? (error as NodeJS.ErrnoException).code : undefined;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.message : String(error);
}

/**
 * Listens on the socket inherited from Einhorn (`EINHORN_FD_<fdIndex>`) and, with
 * `ack: 'auto'`, tells the master this worker is up. The app is booted first (`app.ready()`,
 * so `onReady` hooks have run), then `listenOnFd()` from `@einhorn/worker` adopts the socket on
 * `app.server`: it checks the fd, keeps the master's listen backlog and raises typed errors.
 * Outside Einhorn (no `EINHORN_*` variable at all) it listens on `fallback` with Fastify's
 * `listen()` when given.
 *
 * Fastify's own `listen()` is not used for the inherited socket, so its `onListen` hooks do
 * not run there: for an fd, Node takes the backlog only as a positional argument, which
 * Fastify never passes (the master's backlog would be reset to 511 for every worker,
 * PROTOCOL P7), Fastify's default `localhost` host would start a second server on the same fd
 * (EEXIST, swallowed), and Fastify's address logging throws on an inherited UNIX socket. Use
 * `onReady` hooks, or subscribe to the `einhorn:worker:adopt` diagnostics channel.
 *
 * @param app - a Fastify instance with {@link fastifyEinhorn} registered (awaited or not).
 * @param options - see {@link ListenEinhornOptions}.
 * @returns the listening address: `http://HOST:PORT` for TCP, `unix:PATH` (or `unix:fd N` when
 *   the path is unknown) for a UNIX socket.
 * @throws EinhornError (rejects) `ERR_EINHORN_INVALID_OPTIONS` for bad options or a missing
 *   plugin; EinhornEnvError `ERR_EINHORN_ENV_MISSING` (no Einhorn variables and no
 *   `fallback`), `ERR_EINHORN_ENV_INVALID`, `ERR_EINHORN_NOT_A_WORKER`,
 *   `ERR_EINHORN_MASTER_PID_MISMATCH`, `ERR_EINHORN_CLUSTER_WORKER`; EinhornFdError
 *   `ERR_EINHORN_FD_OUT_OF_RANGE`, `ERR_EINHORN_FD_INVALID`, `ERR_EINHORN_FD_LISTEN_FAILED`,
 *   `ERR_EINHORN_UNSUPPORTED_PLATFORM`; EinhornAckError `ERR_EINHORN_ACK_CONNECT`,
 *   `ERR_EINHORN_ACK_TIMEOUT`. Errors from booting the app (plugins) propagate unchanged.
 *   When the ack fails the listener is closed again before the promise rejects.
 * @example
 * ```ts
 * await app.register(fastifyEinhorn);
 * const address = await listenEinhorn(app, { fallback: { port: 3000 } });
 * ```
 */
export async function listenEinhorn(
  app: FastifyInstance,
  options?: ListenEinhornOptions,
): Promise<string> {
  const { fdIndex, backlog, fallback } = resolveListenOptions(options);
  // Registration may still be pending (`app.register()` without await): boot first.
  await app.ready();
  const state = stateOf(app);
  if (state === undefined) throw pluginMissing();
  if (state.context === undefined) {
    // Only a process with no Einhorn variables at all may fall back; a grandchild or a process
    // under a wrapper is never silently moved to a port (as with serve() in @einhorn/net).
    if (fallback === undefined || state.contextError?.code !== 'ERR_EINHORN_ENV_MISSING')
      throw notAWorker(state);
    try {
      return await app.listen({ port: fallback.port, host: fallback.host });
    } catch (error) {
      throw new EinhornFdError(
        'ERR_EINHORN_FD_LISTEN_FAILED',
        `${PACKAGE_NAME}: expected Fastify to listen on the development fallback ${fallback.host}:${fallback.port}, but it failed with ${describeError(error)}; choose a free port.`,
        {
          cause: error,
          details: { host: fallback.host, port: fallback.port },
        },
      );
    }
  }
  const fd = state.context.fds[fdIndex];
  await listenOnFd(app.server, {
    ...state.options.contextOptions,
    index: fdIndex,
    backlog,
  });
  const address = describeAddress(app.server.address(), fd);
  app.log.info({ fd, index: fdIndex }, `Server listening at ${address} (inherited from Einhorn)`);
  if (state.options.ack === 'auto') {
    try {
      await app.einhorn.ack();
    } catch (error) {
      // Not acked means not counted as up: stop taking connections the master did not expect.
      NetServer.prototype.close.call(app.server);
      throw error;
    }
  }
  return address;
}

function describeAddress(address: AddressInfo | string | null, fd: number | undefined): string {
  if (address === null) return `unix:fd ${String(fd)}`;
  if (typeof address === 'string') return `unix:${address}`;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}
