// A NestJS 12 app run as an Einhorn worker by serve() from @einhorn/net, on the Express platform
// (default) or the Fastify platform (PLATFORM=fastify). Nest is initialised with app.init(), not
// app.listen(): serve() adopts the socket the master passes down, ACKs, and on SIGUSR2, SIGTERM or
// SIGINT finishes in-flight requests and answers kept-alive clients with `Connection: close`;
// then afterDrain runs app.close(), so Nest's shutdown hooks run after the last request.
// Do not call app.enableShutdownHooks(): its own signal handlers would close the app at once.
// Outside Einhorn it listens on $PORT (default 3000).
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { Server } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHealthHandler, serve } from '@einhorn/net';
import { AppModule } from './app.module.js';

const platform = process.env['PLATFORM'] === 'fastify' ? 'fastify' : 'express';

/** Creates the app and initialises it (routes, onModuleInit, onApplicationBootstrap), without listening. */
async function initApp(): Promise<INestApplication<Server>> {
  const health = createHealthHandler(); // a plain (req, res) handler: 503 once draining starts
  if (platform === 'express') {
    const app = await NestFactory.create<NestExpressApplication>(AppModule);
    app.use('/healthz', health);
    return app.init(); // not app.listen()
  }
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, new FastifyAdapter());
  app.use('/healthz', health); // Fastify's middleware gets the raw (req, res)
  await app.init();
  await app.getHttpAdapter().getInstance().ready(); // Fastify only: Nest's listen() would call it
  return app;
}

const app = await initApp();
const port = Number(process.env['PORT'] ?? '3000');
const handle = await serve(app.getHttpServer(), {
  fallback: { port },
  afterDrain: () => app.close(), // every request answered: now run Nest's shutdown hooks
});
const where =
  handle.context === undefined
    ? `port ${port} (not under Einhorn)`
    : `Einhorn fd, child index ${handle.context.childIndex ?? '?'}`;
process.stderr.write(
  `example-nestjs: pid ${process.pid} listening on ${where} (${platform} platform) at ${JSON.stringify(handle.server.address())}\n`,
);
