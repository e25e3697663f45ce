// A Hono 4 app run as an Einhorn worker: createAdaptorServer() from @hono/node-server builds the
// node:http server without listening, and serve() from @einhorn/net adopts the socket the master
// passes down, ACKs, and on SIGUSR2, SIGTERM or SIGINT finishes in-flight requests, answers
// kept-alive clients with `Connection: close`, and exits.
// Outside Einhorn it listens on $PORT (default 3000).
import { Hono } from 'hono';
import { createAdaptorServer } from '@hono/node-server';
import type { HttpBindings } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { createHealthHandler, serve } from '@einhorn/net';
import { safeGetWorkerContext } from '@einhorn/worker';

const MAX_SLOW_MS = 60_000;

const worker = safeGetWorkerContext();
const childIndex = worker.success ? worker.data.childIndex : undefined;
const greeting = `pid ${process.pid}${childIndex === undefined ? '' : ` (child index ${childIndex})`}`;

const ready = createHealthHandler(); // 200 while serving, 503 once draining starts
const app = new Hono<{ Bindings: HttpBindings }>();
app.get('/', (c) => c.text(`Hello from ${greeting}\n`));
app.get('/slow', async (c) => {
  const ms = Number(c.req.query('ms') ?? '0');
  if (!Number.isInteger(ms) || ms < 0 || ms > MAX_SLOW_MS)
    return c.text(`ms must be an integer between 0 and ${MAX_SLOW_MS}.\n`, 400);
  await new Promise((resolve) => setTimeout(resolve, ms));
  return c.text(`Slept ${ms} ms in ${greeting}\n`);
});
app.get('/healthz', (c) => {
  ready(c.env.incoming, c.env.outgoing); // a plain (req, res) handler answers this one
  return RESPONSE_ALREADY_SENT;
});

const port = Number(process.env['PORT'] ?? '3000');
const server = createAdaptorServer({ fetch: app.fetch }); // a node:http Server, not listening yet
const handle = await serve(server, { fallback: { port } });
const where =
  handle.context === undefined
    ? `port ${port} (not under Einhorn)`
    : `Einhorn fd, child index ${handle.context.childIndex ?? '?'}`;
process.stderr.write(
  `example-hono: pid ${process.pid} listening on ${where} at ${JSON.stringify(server.address())}\n`,
);
