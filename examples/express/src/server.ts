// An Express 5 app (Express 4 works the same) run as an Einhorn worker by @einhorn/express:
// it adopts the socket the master passes down, ACKs, and on SIGUSR2, SIGTERM or SIGINT finishes in-flight
// requests, answers kept-alive clients with `Connection: close`, and exits.
// Outside Einhorn it listens on $PORT (default 3000).
import express from 'express';
import type { Response } from 'express';
import { createHealthHandler, exposeWorkerInfo, serveExpress } from '@einhorn/express';
import type { WorkerInfo } from '@einhorn/express';

const MAX_SLOW_MS = 60_000;

function greeting(res: Response): string {
  const { pid, childIndex } = res.locals['einhorn'] as WorkerInfo;
  return `pid ${pid}${childIndex === undefined ? '' : ` (child index ${childIndex})`}`;
}

const app = express();
app.use(exposeWorkerInfo()); // res.locals.einhorn: pid, childIndex, context, isDraining
app.get('/healthz', createHealthHandler()); // 503 once draining starts
app.get('/', (_req, res) => {
  res.type('text').send(`Hello from ${greeting(res)}\n`);
});
app.get('/slow', (req, res) => {
  const ms = Number(req.query['ms'] ?? '0');
  if (!Number.isInteger(ms) || ms < 0 || ms > MAX_SLOW_MS) {
    res.status(400).type('text').send(`ms must be an integer between 0 and ${MAX_SLOW_MS}.\n`);
    return;
  }
  setTimeout(() => res.type('text').send(`Slept ${ms} ms in ${greeting(res)}\n`), ms);
});

const port = Number(process.env['PORT'] ?? '3000');
const handle = await serveExpress(app, { fallback: { port } });
const where =
  handle.context === undefined
    ? `port ${port} (not under Einhorn)`
    : `Einhorn fd, child index ${handle.context.childIndex ?? '?'}`;
process.stderr.write(
  `example-express: pid ${process.pid} listening on ${where} at ${JSON.stringify(handle.server.address())}\n`,
);
