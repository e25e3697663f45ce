import { Server as NetServer } from 'node:net';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { EinhornError } from '@einhorn/core';
import { trackConnections } from '@einhorn/net';
import type { ConnectionTracker, DrainOptions } from '@einhorn/net';
import { ack, onGracefulShutdown, safeGetWorkerContext } from '@einhorn/worker';
import './augment.ts';
import { createHealthHandler } from './health.ts';
import { PACKAGE_NAME, resolvePluginOptions, type ResolvedPluginOptions } from './options.ts';
import { attachState, type PluginState } from './state.ts';
import type { FastifyEinhorn, FastifyEinhornOptions } from './types.ts';

function createDecorator(state: PluginState, tracker: ConnectionTracker): FastifyEinhorn {
  const { options, context } = state;
  const decorator: FastifyEinhorn = {
    context,
    get isDraining() {
      return tracker.isDraining;
    },
    ack: () => {
      if (context === undefined) return Promise.resolve();
      return ack({
        ...options.contextOptions,
        ...(options.ackTimeoutMs === undefined ? {} : { timeoutMs: options.ackTimeoutMs }),
        ...(options.ackVia === undefined ? {} : { via: options.ackVia }),
      });
    },
  };
  attachState(decorator, state);
  return decorator;
}

function readState(options: ResolvedPluginOptions): PluginState {
  const result = safeGetWorkerContext(options.contextOptions);
  return result.success
    ? { options, context: result.data, contextError: undefined }
    : { options, context: undefined, contextError: result.error };
}

/**
 * Stops accepting and drains every connection. Node's `http.Server#close()` (which Fastify's
 * `close()` calls) would also destroy idle keep-alive sockets at once, resetting requests
 * already on their way (BENCHMARKS.md), so the listener is closed with the plain
 * `net.Server#close()` and the tracker closes idle sockets only after `idleGraceMs`.
 */
function drain(
  fastify: FastifyInstance,
  tracker: ConnectionTracker,
  drainOptions: DrainOptions,
): Promise<void> {
  if (fastify.server.listening) NetServer.prototype.close.call(fastify.server);
  return tracker.drain(drainOptions);
}

function setup(fastify: FastifyInstance, rawOptions: FastifyEinhornOptions): void {
  const options = resolvePluginOptions(rawOptions);
  if (fastify.hasDecorator('einhorn')) {
    throw new EinhornError(
      'ERR_EINHORN_INVALID_OPTIONS',
      `${PACKAGE_NAME}: expected the plugin to be registered once per Fastify instance, but app.einhorn already exists; remove the second app.register(fastifyEinhorn).`,
      {
        cause: new Error('app.einhorn is already decorated'),
        details: { option: 'register' },
      },
    );
  }
  const state = readState(options);
  const tracker = trackConnections(fastify.server);
  const einhorn = createDecorator(state, tracker);
  fastify.decorate('einhorn', einhorn);

  if (options.healthPath !== undefined)
    fastify.get(options.healthPath, createHealthHandler(einhorn));

  // A user-initiated app.close() drains too, so keep-alive clients are not reset.
  fastify.addHook('preClose', async () => {
    await drain(fastify, tracker, { idleGraceMs: options.idleGraceMs });
  });

  // Installed outside Einhorn too, as serve() in @einhorn/net does: `kill -USR2` drains the same way.
  const uninstall = onGracefulShutdown(
    async ({ abortSignal }) => {
      // Drain before close(): once Fastify is closing it answers 503 (return503OnClosing) to
      // requests that keep-alive clients send meanwhile; drained first, they get answers.
      await drain(fastify, tracker, {
        idleGraceMs: options.idleGraceMs,
        signal: abortSignal,
      });
      await fastify.close();
    },
    {
      signals: options.signals,
      timeoutMs: options.shutdownTimeoutMs,
      exit: options.exit,
    },
  );

  fastify.addHook('onClose', (_instance, done) => {
    uninstall(); // a shutdown already under way keeps running (and exits the process)
    tracker.dispose();
    done();
  });
}

const einhornPlugin: FastifyPluginAsync<FastifyEinhornOptions> = (fastify, options) => {
  try {
    setup(fastify, options);
    return Promise.resolve();
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
};

/**
 * Runs a Fastify 5 app as an Einhorn worker: decorates `app.einhorn`, lets {@link listenEinhorn}
 * adopt the inherited socket and ack once it listens, and on `SIGUSR2` stops
 * accepting, drains without resetting keep-alive clients (they get `Connection: close`), then
 * runs `app.close()` so that your `onClose` hooks run, and exits. Outside Einhorn the decorator
 * has `context: undefined`, `ack()` does nothing, and `SIGUSR2` still drains.
 *
 * @param fastify - the root Fastify instance (the plugin is not encapsulated).
 * @param options - see {@link FastifyEinhornOptions}.
 * @throws EinhornError `ERR_EINHORN_INVALID_OPTIONS` (registration fails) for bad options.
 * @example
 * ```ts
 * import Fastify from 'fastify';
 * import { fastifyEinhorn, listenEinhorn } from '@einhorn/fastify';
 *
 * const app = Fastify();
 * await app.register(fastifyEinhorn, { healthPath: '/healthz' });
 * app.get('/', async () => ({ pid: process.pid, child: app.einhorn.context?.childIndex }));
 * await listenEinhorn(app, { fallback: { port: 3000 } });
 * ```
 */
export const fastifyEinhorn = fp(einhornPlugin, {
  name: PACKAGE_NAME,
  fastify: '5.x',
});
