// The NestJS app, on the Express platform or the Fastify platform: every topology that benchmarks
// Nest serves exactly this app. Plain JavaScript has no decorator syntax, so the decorators are
// applied with Reflect.decorate.
import 'reflect-metadata';
import { Controller, Get, Header, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

class HelloController {
  hello() {
    return 'hello world\n';
  }
}
Reflect.decorate(
  [Get(), Header('content-type', 'text/plain')],
  HelloController.prototype,
  'hello',
  Object.getOwnPropertyDescriptor(HelloController.prototype, 'hello'),
);
Reflect.decorate([Controller()], HelloController);

class AppModule {}
Reflect.decorate([Module({ controllers: [HelloController] })], AppModule);

/**
 * `GET /` → a 12-byte body. Initialised (`app.init()`, and the Fastify instance's `ready()`) but
 * not listening: serve `app.getHttpServer()`, and call `app.close()` once it has drained.
 * @param {'express' | 'fastify'} platform
 */
export async function createApp(platform) {
  const options = { logger: false };
  const app =
    platform === 'fastify'
      ? await NestFactory.create(
          AppModule,
          new (await import('@nestjs/platform-fastify')).FastifyAdapter(),
          options,
        )
      : await NestFactory.create(AppModule, options);
  await app.init();
  if (platform === 'fastify') await app.getHttpAdapter().getInstance().ready();
  return app;
}
