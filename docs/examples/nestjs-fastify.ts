// The same Nest application on the Fastify platform: one more step, the Fastify instance's
// ready(), which Nest's app.listen() would otherwise have called.
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHealthHandler, serve } from '@einhorn/net';
import { AppModule } from './nestjs-module.js';

// #region serve
const app = await NestFactory.create<NestFastifyApplication>(AppModule, new FastifyAdapter());
app.use('/healthz', createHealthHandler()); // Fastify's middleware gets the raw (req, res)
await app.init();
await app.getHttpAdapter().getInstance().ready(); // Fastify only: load its plugins, or it crashes

await serve(app.getHttpServer(), {
  fallback: { port: Number(process.env['PORT'] ?? '3000') }, // only when not under Einhorn
  afterDrain: () => app.close(),
});
// #endregion serve
process.stderr.write(`nest worker ${process.pid} up on Fastify\n`);
