import type { IncomingMessage, ServerResponse } from 'node:http';
import { isShuttingDown, safeGetWorkerContext } from '@einhorn/worker';
import { netState } from './internal/net-state.ts';
import type { HealthHandlerOptions } from './types.ts';

function defaultIsDraining(): boolean {
  return isShuttingDown() || netState().draining > 0;
}

/**
 * A readiness endpoint: answers `200 {"status":"ok","pid":…,"childIndex":…}` while serving and
 * `503 {"status":"draining",…}` (with `Connection: close`) from the moment draining starts,
 * so that a load balancer stops sending traffic to a worker on its way out. It is a plain
 * `(req, res)` listener: mount it in `node:http`, Express (`app.get('/ready', handler)`) or
 * Fastify (`reply.hijack()` first, or read `isShuttingDown()` directly).
 *
 * @param options - see {@link HealthHandlerOptions}.
 * @returns a request listener.
 * @example
 * ```ts
 * const ready = createHealthHandler();
 * const server = createServer((req, res) => (req.url === '/ready' ? ready(req, res) : app(req, res)));
 * await serve(server);
 * ```
 */
export function createHealthHandler(
  options: HealthHandlerOptions = {},
): (req: IncomingMessage, res: ServerResponse) => void {
  const isDraining = options.isDraining ?? defaultIsDraining;
  let identity: string | undefined;
  return (_req, res) => {
    const draining = isDraining();
    if (identity === undefined) {
      const context = safeGetWorkerContext();
      const childIndex = context.success ? context.data.childIndex : undefined;
      identity = JSON.stringify({
        pid: process.pid,
        ...(childIndex === undefined ? {} : { childIndex }),
      }).slice(1, -1);
    }
    const body = `{"status":"${draining ? 'draining' : 'ok'}",${identity}}`;
    res.statusCode = draining ? 503 : 200;
    res.setHeader('Content-Type', 'application/json');
    res.setHeader('Cache-Control', 'no-store');
    if (draining) res.setHeader('Connection', 'close');
    res.end(body);
  };
}
