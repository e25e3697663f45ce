import type { FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify';
import type { EinhornHealthBody, FastifyEinhorn } from './types.ts';

/**
 * The readiness route, with the body `createHealthHandler()` of `@einhorn/net` sends: `200 {status:'ok'}` while serving, `503 {status:'draining'}` with
 * `Connection: close` once draining starts, so a load balancer stops sending traffic here
 * while in-flight requests finish.
 */
export function createHealthHandler(einhorn: FastifyEinhorn): RouteHandlerMethod {
  return function health(_request: FastifyRequest, reply: FastifyReply): EinhornHealthBody {
    const draining = einhorn.isDraining;
    void reply.code(draining ? 503 : 200).header('cache-control', 'no-store');
    if (draining) void reply.header('connection', 'close');
    const childIndex = einhorn.context?.childIndex;
    return {
      status: draining ? 'draining' : 'ok',
      pid: process.pid,
      ...(childIndex === undefined ? {} : { childIndex }),
    };
  };
}
