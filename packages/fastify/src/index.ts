/**
 * Run a Fastify 5 app as an Einhorn worker: the `fastifyEinhorn` plugin (ack, drain on
 * `SIGUSR2`, `SIGTERM` or `SIGINT` through `@einhorn/net`'s drain engine, readiness route,
 * `app.einhorn`) and `listenEinhorn(app)`.
 *
 * @module
 */
import './augment.ts';

export type * from './types.ts';
export { fastifyEinhorn } from './plugin.ts';
export { listenEinhorn } from './listen.ts';
