import Fastify from 'fastify';
import type { FastifyPluginAsync } from 'fastify';
import { describe, expectTypeOf, it } from 'vitest';
import type { AckResult, WorkerContext } from '@einhorn/worker';
import { fastifyEinhorn, listenEinhorn } from './index.ts';
import type { FastifyEinhorn, FastifyEinhornOptions, ListenEinhornOptions } from './index.ts';

describe('@einhorn/fastify types', () => {
  it('augments FastifyInstance with a readonly einhorn decorator', () => {
    const app = Fastify();
    expectTypeOf(app.einhorn).toEqualTypeOf<FastifyEinhorn>();
    expectTypeOf(app.einhorn.context).toEqualTypeOf<WorkerContext | undefined>();
    expectTypeOf(app.einhorn.isDraining).toEqualTypeOf<boolean>();
    expectTypeOf(app.einhorn.ack).toEqualTypeOf<() => Promise<AckResult | undefined>>();
    // @ts-expect-error the decorator is read-only
    app.einhorn = {} as FastifyEinhorn;
    app.get('/', function handler() {
      expectTypeOf(this.einhorn).toEqualTypeOf<FastifyEinhorn>();
      return 'ok';
    });
  });

  it('is an async plugin typed by its options', () => {
    expectTypeOf(fastifyEinhorn).toEqualTypeOf<FastifyPluginAsync<FastifyEinhornOptions>>();
    const app = Fastify();
    void app.register(fastifyEinhorn, {
      ack: 'manual',
      healthPath: '/healthz',
      timeoutMs: 10_000,
    });
    void app.register(fastifyEinhorn);
    // @ts-expect-error ack is 'auto' or 'manual'
    void app.register(fastifyEinhorn, { ack: 'onListen' });
    // @ts-expect-error durations are numbers of milliseconds
    void app.register(fastifyEinhorn, { timeoutMs: '10s' });
  });

  it('listenEinhorn takes the app and resolves to its address', () => {
    const app = Fastify();
    expectTypeOf(listenEinhorn(app)).toEqualTypeOf<Promise<string>>();
    expectTypeOf(listenEinhorn).parameter(1).toEqualTypeOf<ListenEinhornOptions | undefined>();
    void listenEinhorn(app, {
      index: 1,
      fallback: { port: 3000, host: '127.0.0.1' },
    });
    // @ts-expect-error fallback needs a port
    void listenEinhorn(app, { fallback: { host: '127.0.0.1' } });
  });
});
