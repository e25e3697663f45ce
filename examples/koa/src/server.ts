// A Koa 3 app run as an Einhorn worker by serve() from @einhorn/net: app.callback() is a plain
// (req, res) listener, so an http.Server built from it is served like any other. serve() adopts
// the socket the master passes down, ACKs, and on SIGUSR2, SIGTERM or SIGINT finishes in-flight
// requests, answers kept-alive clients with `Connection: close`, and exits.
// Outside Einhorn it listens on $PORT (default 3000).
import { createServer } from 'node:http';
import Koa from 'koa';
import { createHealthHandler, serve } from '@einhorn/net';
import { safeGetWorkerContext } from '@einhorn/worker';

const MAX_SLOW_MS = 60_000;

const worker = safeGetWorkerContext();
const childIndex = worker.success ? worker.data.childIndex : undefined;
const greeting = `pid ${process.pid}${childIndex === undefined ? '' : ` (child index ${childIndex})`}`;

const ready = createHealthHandler(); // 200 while serving, 503 once draining starts
const app = new Koa();
app.use(async (ctx) => {
  if (ctx.method !== 'GET') ctx.throw(405);
  switch (ctx.path) {
    case '/':
      ctx.type = 'text';
      ctx.body = `Hello from ${greeting}\n`;
      return;
    case '/slow': {
      const ms = Number(ctx.query['ms'] ?? '0');
      if (!Number.isInteger(ms) || ms < 0 || ms > MAX_SLOW_MS)
        ctx.throw(400, `ms must be an integer between 0 and ${MAX_SLOW_MS}.\n`);
      await new Promise((resolve) => setTimeout(resolve, ms));
      ctx.type = 'text';
      ctx.body = `Slept ${ms} ms in ${greeting}\n`;
      return;
    }
    case '/healthz':
      ctx.respond = false; // a plain (req, res) handler answers this one
      ready(ctx.req, ctx.res);
      return;
    default:
      ctx.throw(404);
  }
});

const port = Number(process.env['PORT'] ?? '3000');
// app.callback() answers every request itself, errors included (ctx.onerror): its promise never rejects.
// eslint-disable-next-line @typescript-eslint/no-misused-promises
const handle = await serve(createServer(app.callback()), { fallback: { port } });
const where =
  handle.context === undefined
    ? `port ${port} (not under Einhorn)`
    : `Einhorn fd, child index ${handle.context.childIndex ?? '?'}`;
process.stderr.write(
  `example-koa: pid ${process.pid} listening on ${where} at ${JSON.stringify(handle.server.address())}\n`,
);
