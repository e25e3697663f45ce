import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { EinhornError } from '@einhorn/core';
import { ack, safeGetWorkerContext } from '@einhorn/worker';
import './augment.ts';
import { createHealthHandler } from './health.ts';
import { PACKAGE_NAME, validatePluginOptions } from './options.ts';
import { attachState, type PluginState } from './state.ts';
import type { FastifyEinhorn, FastifyEinhornOptions } from './types.ts';

function createDecorator(state: PluginState): FastifyEinhorn {
  const { options, context } = state;
  const decorator: FastifyEinhorn = {
    context,
    get isDraining() {
      return state.handle?.isDraining ?? false;
    },
    ack: async () => {
      if (context === undefined) return undefined;
      return ack({
        ...(options.env === undefined ? {} : { env: options.env }),
        ...(options.ppid === undefined ? {} : { ppid: options.ppid }),
        ...(options.verifyParent === undefined ? {} : { verifyParent: options.verifyParent }),
        ...(options.legacyFds === undefined ? {} : { legacyFds: options.legacyFds }),
        ...(options.systemd === undefined ? {} : { systemd: options.systemd }),
        ...(options.ackTimeoutMs === undefined ? {} : { timeoutMs: options.ackTimeoutMs }),
        ...(options.ackVia === undefined ? {} : { via: options.ackVia }),
        ...(options.ackConfirm === undefined ? {} : { confirm: options.ackConfirm }),
      });
    },
  };
  attachState(decorator, state);
  return decorator;
}

function setup(fastify: FastifyInstance, options: FastifyEinhornOptions): void {
  validatePluginOptions(options);
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
  const result = safeGetWorkerContext(options);
  const state: PluginState = {
    options,
    context: result.success ? result.data : undefined,
    handle: undefined,
    closingByApp: false,
  };
  const einhorn = createDecorator(state);
  fastify.decorate('einhorn', einhorn);

  if (options.healthPath !== undefined)
    fastify.get(options.healthPath, createHealthHandler(einhorn));

  // A user-initiated app.close() drains too, through the same engine, so keep-alive clients
  // are not reset; a shutdown signal drains first and then calls app.close() (listen.ts).
  fastify.addHook('preClose', async () => {
    state.closingByApp = true;
    if (state.handle?.state === 'serving') await state.handle.close();
  });
  fastify.addHook('onClose', (_instance, done) => {
    state.handle?.uninstall(); // a shutdown already under way keeps running (and exits)
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
 * Runs a Fastify 5 app as an Einhorn worker: decorates `app.einhorn`, and lets
 * {@link listenEinhorn} serve the booted app through `serve()` from `@einhorn/net`: adopt the
 * inherited socket, ACK, and on `SIGUSR2`, `SIGTERM` or `SIGINT` drain with the same engine,
 * options, diagnostics events and deadline as every other adapter (in-flight requests finish,
 * keep-alive clients get `Connection: close`, idle sockets close after `idleGraceMs`), then
 * run `app.close()` so that your `onClose` hooks run once the last request is answered, and
 * exit. A user-initiated `app.close()` drains the same way, without exiting.
 *
 * @param fastify - the root Fastify instance (the plugin is not encapsulated).
 * @param options - see {@link FastifyEinhornOptions}: the options of `serve()`.
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
