import type { Server } from 'node:net';
import { onGracefulShutdown } from '@einhorn/worker';
import { trackConnections } from './connection-tracker.ts';
import { DrainLifecycle } from './internal/drain-lifecycle.ts';
import { validateDrainOptions } from './internal/validate.ts';
import type { DrainHandle, DrainOnShutdownOptions } from './types.ts';

/** {@link drainOnShutdown} without validation, for callers that validated already. */
export function installDrain<TServer extends Server>(
  server: TServer,
  options: DrainOnShutdownOptions,
): DrainHandle<TServer> {
  const tracker = trackConnections(server);
  const lifecycle = new DrainLifecycle(server, tracker, options);
  let uninstalled = false;
  const removeHandler = onGracefulShutdown(
    (event) =>
      lifecycle.drain({
        trigger: event.signal,
        deadline: event.deadline,
        abortSignal: event.abortSignal,
      }),
    {
      ...(options.signals === undefined ? {} : { signals: options.signals }),
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      ...(options.exit === undefined ? {} : { exit: options.exit }),
      ...(options.onTimeout === undefined ? {} : { onTimeout: options.onTimeout }),
    },
  );
  lifecycle.uninstall = removeHandler;
  return {
    server,
    get state() {
      return lifecycle.state;
    },
    get isDraining() {
      return lifecycle.state !== 'serving';
    },
    connections: tracker,
    close: () => lifecycle.close(),
    closed: lifecycle.closed,
    uninstall: () => {
      if (uninstalled) return;
      uninstalled = true;
      removeHandler();
      if (lifecycle.state === 'serving') tracker.dispose();
    },
  };
}

/**
 * Drains `server` gracefully when the process is told to stop, for servers you listen
 * yourself (for example with `listenOnFd()` and `ack()` from `@einhorn/worker`). It is the same
 * drain engine as {@link serve}: on `SIGUSR2`, `SIGTERM` or `SIGINT` (see `signals`) it stops
 * accepting at once (under Einhorn the master keeps the socket, so nobody is refused), lets
 * in-flight requests finish, answers them and any later request on a kept-alive socket with
 * `Connection: close`, closes idle sockets after `idleGraceMs`, runs `onDrain` and
 * `afterDrain`, destroys what is left at the `timeoutMs` deadline, and exits (0 drained, 3 at
 * the deadline; see `exitCodes` in `@einhorn/worker`).
 *
 * Call it before the server listens, so that every connection is tracked, and before you ACK.
 * Raw `net` protocols mark requests with `handle.connections.busy(socket)` /
 * `idle(socket)` so that a drain never cuts a reply in flight.
 *
 * @param server - a `net.Server`, `http.Server` or `https.Server`.
 * @param options - see {@link DrainOnShutdownOptions}.
 * @returns a {@link DrainHandle}: state, connections, `close()`, `closed` and `uninstall()`.
 * @throws EinhornError `ERR_EINHORN_INVALID_OPTIONS` for malformed options (nothing is installed then).
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { ack, listenOnFd } from '@einhorn/worker';
 * import { drainOnShutdown } from '@einhorn/net';
 *
 * const server = createServer(app);
 * drainOnShutdown(server, { afterDrain: () => pool.end() });
 * await listenOnFd(server);
 * await ack();
 * ```
 */
export function drainOnShutdown<TServer extends Server>(
  server: TServer,
  options: DrainOnShutdownOptions = {},
): DrainHandle<TServer> {
  validateDrainOptions(server, options, 'drainOnShutdown()');
  return installDrain(server, options);
}
