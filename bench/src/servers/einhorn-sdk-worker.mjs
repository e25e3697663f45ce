// A worker under the einhorn master using our adapters: serve() (@einhorn/net), serveExpress()
// (@einhorn/express) or the fastifyEinhorn plugin + listenEinhorn() (@einhorn/fastify); Koa, Hono
// and NestJS through serve() as their guides show. ACK is
// manual only so that the ACK round trip can be timed; the adapters do the same with 'auto'.
// Also timed, for B6's breakdown: importing the adapter and app, and adopting the socket.
import { createServer } from 'node:http';
import { performance } from 'node:perf_hooks';
import { fail, parseArgs } from './args.mjs';
import { instrument } from './instrument.mjs';

const timings = {};
async function timed(name, work) {
  const started = performance.now();
  const result = await work();
  timings[name] = performance.now() - started;
  return result;
}

async function start(framework) {
  switch (framework) {
    case 'http': {
      const { serve } = await timed('importAdapterMs', () => import('@einhorn/net'));
      const { createHandler } = await timed('importAppMs', () => import('../apps/http.mjs'));
      const server = createServer(createHandler());
      const stats = instrument(server);
      const handle = await timed('adoptMs', () => serve(server, { ack: 'manual' }));
      return { stats, ack: () => handle.ack() };
    }
    case 'express': {
      const { serveExpress } = await timed('importAdapterMs', () => import('@einhorn/express'));
      const { createApp } = await timed('importAppMs', () => import('../apps/express.mjs'));
      const handle = await timed('adoptMs', () => serveExpress(createApp(), { ack: 'manual' }));
      return { stats: instrument(handle.server), ack: () => handle.ack() };
    }
    case 'fastify': {
      const { fastifyEinhorn, listenEinhorn } = await timed(
        'importAdapterMs',
        () => import('@einhorn/fastify'),
      );
      const { createApp } = await timed('importAppMs', () => import('../apps/fastify.mjs'));
      const app = await createApp((instance) =>
        instance.register(fastifyEinhorn, { ack: 'manual' }),
      );
      const stats = instrument(app.server);
      await timed('adoptMs', () => listenEinhorn(app));
      return { stats, ack: () => app.einhorn.ack() };
    }
    case 'koa': {
      const { serve } = await timed('importAdapterMs', () => import('@einhorn/net'));
      const { createApp } = await timed('importAppMs', () => import('../apps/koa.mjs'));
      const server = createServer(createApp().callback());
      const stats = instrument(server);
      const handle = await timed('adoptMs', () => serve(server, { ack: 'manual' }));
      return { stats, ack: () => handle.ack() };
    }
    case 'hono': {
      const { serve } = await timed('importAdapterMs', () => import('@einhorn/net'));
      const [{ createApp }, { createAdaptorServer }] = await timed('importAppMs', () =>
        Promise.all([import('../apps/hono.mjs'), import('@hono/node-server')]),
      );
      const server = createAdaptorServer({ fetch: createApp().fetch });
      const stats = instrument(server);
      const handle = await timed('adoptMs', () => serve(server, { ack: 'manual' }));
      return { stats, ack: () => handle.ack() };
    }
    case 'nestjs':
    case 'nestjs-fastify': {
      const { serve } = await timed('importAdapterMs', () => import('@einhorn/net'));
      const { createApp } = await timed('importAppMs', () => import('../apps/nestjs.mjs'));
      const app = await createApp(framework === 'nestjs' ? 'express' : 'fastify');
      const stats = instrument(app.getHttpServer());
      const handle = await timed('adoptMs', () =>
        serve(app.getHttpServer(), { ack: 'manual', afterDrain: () => app.close() }),
      );
      return { stats, ack: () => handle.ack() };
    }
    default:
      throw new Error(`Unknown framework "${framework}".`);
  }
}

try {
  const { stats, ack } = await start(parseArgs().framework);
  await timed('ackMs', ack);
  for (const [name, ms] of Object.entries(timings)) stats.set(name, ms);
  stats.set('ready', true);
} catch (error) {
  fail(error);
}
