import type { FastifyEinhorn } from './types.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Einhorn worker state and controls, added by the `@einhorn/fastify` plugin. */
    readonly einhorn: FastifyEinhorn;
  }
}
