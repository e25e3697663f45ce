import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { EinhornError } from '@einhorn/core';
import { serve } from '@einhorn/net';
import type { DrainEvent } from '@einhorn/net';
import { PACKAGE_NAME, validateListenOptions } from './options.ts';
import { stateOf } from './state.ts';
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

/**
 * Serves the booted app with `serve()` from `@einhorn/net`: adopts the socket inherited from
 * Einhorn (`EINHORN_FD_<index>`, keeping the master's listen backlog) or systemd, and ACKs
 * (with the plugin's `ack: 'auto'`); outside any socket manager it listens on `fallback`,
 * on every interface unless `fallback.host` says otherwise, as `serve()` does. The app is
 * booted first (`app.ready()`, so `onReady` hooks have run). From then on a shutdown signal
 * drains the connections, runs `afterDrain` and `app.close()`, and exits.
 *
 * Fastify's own `listen()` is not used, so its `onListen` hooks do not run: for an fd, Node
 * takes the backlog only as a positional argument, which Fastify never passes (the master's
 * backlog would be reset to 511 for every worker, PROTOCOL P7). Use `onReady` hooks, or
 * subscribe to the `einhorn:worker:adopt` diagnostics channel.
 *
 * @param app - a Fastify instance with {@link fastifyEinhorn} registered (awaited or not).
 * @param options - see {@link ListenEinhornOptions}.
 * @returns the listening address: `http://HOST:PORT` for TCP, `unix:PATH` (or `unix:fd N` when
 *   the path is unknown) for a UNIX socket.
 * @throws EinhornError (rejects) `ERR_EINHORN_INVALID_OPTIONS` for bad options or a missing
 *   plugin; and everything `serve()` rejects with: EinhornEnvError `ERR_EINHORN_ENV_MISSING`
 *   (no Einhorn variables and no `fallback`), `ERR_EINHORN_ENV_INVALID`,
 *   `ERR_EINHORN_NOT_A_WORKER`, `ERR_EINHORN_MASTER_PID_MISMATCH`, `ERR_EINHORN_CLUSTER_WORKER`;
 *   EinhornFdError `ERR_EINHORN_FD_OUT_OF_RANGE`, `ERR_EINHORN_FD_INVALID`,
 *   `ERR_EINHORN_FD_LISTEN_FAILED`, `ERR_EINHORN_UNSUPPORTED_PLATFORM`; EinhornAckError
 *   `ERR_EINHORN_ACK_CONNECT`, `ERR_EINHORN_ACK_TIMEOUT`. Errors from booting the app
 *   propagate unchanged. When the ACK fails the listener is closed again before the promise rejects.
 * @example
 * ```ts
 * await app.register(fastifyEinhorn);
 * const address = await listenEinhorn(app, { fallback: { port: 3000 } });
 * ```
 */
export async function listenEinhorn(
  app: FastifyInstance,
  options: ListenEinhornOptions = {},
): Promise<string> {
  validateListenOptions(options);
  // Registration may still be pending (`app.register()` without await): boot first.
  await app.ready();
  const state = stateOf(app);
  if (state === undefined) throw pluginMissing();
  const { afterDrain, ...serveOptions } = state.options; // healthPath is ignored by serve()
  state.handle = await serve(app.server, {
    ...serveOptions,
    ...options,
    afterDrain: async (event: DrainEvent) => {
      await afterDrain?.(event);
      // Every request is answered by now: onClose hooks may close what requests were using.
      if (!state.closingByApp) await app.close();
    },
  });
  const address = describeAddress(
    app.server.address(),
    state.handle.context?.fds[options.index ?? 0],
  );
  app.log.info(
    { index: options.index ?? 0, manager: state.handle.context?.manager ?? null },
    `Server listening at ${address}${state.handle.context === undefined ? '' : ` (inherited from ${state.handle.context.manager})`}`,
  );
  return address;
}

function describeAddress(address: AddressInfo | string | null, fd: number | undefined): string {
  if (address === null) return `unix:fd ${String(fd)}`;
  if (typeof address === 'string') return `unix:${address}`;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}
