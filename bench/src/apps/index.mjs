// One `http.Server` per framework, with the framework's app attached and booted, for every
// topology that listens by itself (single, cluster, reusePort, bare einhorn worker).
import { createServer } from 'node:http';

export const FRAMEWORKS = ['http', 'express', 'fastify'];

/**
 * Frameworks served by `serve()` from @einhorn/net without an adapter of their own (the recipes of
 * the Koa, Hono and NestJS guides); the upgrade suite (B5) runs them under our master.
 */
export const RECIPE_FRAMEWORKS = ['koa', 'hono', 'nestjs', 'nestjs-fastify'];

/** Human label of a framework id. */
export const frameworkLabel = (framework) =>
  ({
    http: 'node:http',
    express: 'Express',
    fastify: 'Fastify',
    koa: 'Koa',
    hono: 'Hono',
    nestjs: 'NestJS (Express)',
    'nestjs-fastify': 'NestJS (Fastify)',
  })[framework] ?? framework;

/** Builds a not-yet-listening `http.Server` running `framework`'s app. */
export async function buildServer(framework) {
  switch (framework) {
    case 'http': {
      const { createHandler } = await import('./http.mjs');
      return createServer(createHandler());
    }
    case 'express': {
      const { createApp } = await import('./express.mjs');
      return createServer(createApp());
    }
    case 'fastify': {
      const { createApp } = await import('./fastify.mjs');
      const app = await createApp();
      await app.ready();
      return app.server;
    }
    default:
      throw new Error(
        `Unknown framework "${framework}": expected one of ${FRAMEWORKS.join(', ')}.`,
      );
  }
}
