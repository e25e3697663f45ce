// A NestJS app on the Express platform run as an Einhorn worker: app.init() instead of
// app.listen(), serve() from @einhorn/net on app.getHttpServer(), app.close() in afterDrain.
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createHealthHandler, serve } from '@einhorn/net';
import { AppModule } from './nestjs-module.js';

// #region serve
// No app.enableShutdownHooks(): serve() drains on SIGUSR2, SIGTERM and SIGINT.
const app = await NestFactory.create<NestExpressApplication>(AppModule);
app.use('/healthz', createHealthHandler()); // 200 while serving, 503 once draining
await app.init(); // routes, onModuleInit, onApplicationBootstrap; not app.listen()

await serve(app.getHttpServer(), {
  fallback: { port: Number(process.env['PORT'] ?? '3000') }, // only when not under Einhorn
  afterDrain: () => app.close(), // after the last request: onModuleDestroy, …, onApplicationShutdown
});
// #endregion serve
process.stderr.write(`nest worker ${process.pid} up\n`);
