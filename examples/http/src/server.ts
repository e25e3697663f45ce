// A node:http server run as an Einhorn worker by @einhorn/net's serve(): it adopts the socket
// the master passes down, ACKs, and on SIGUSR2, SIGTERM or SIGINT finishes in-flight requests and exits.
// Outside Einhorn it listens on $PORT (default 3000).
import { createServer } from 'node:http';
import type { ServerResponse } from 'node:http';
import { createHealthHandler, serve } from '@einhorn/net';

const MAX_SLOW_MS = 60_000;
const health = createHealthHandler();

function reply(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(`${text}\n`);
}

/** `ms` from `/slow?ms=N`: an integer in [0, 60000], or undefined. */
function slowMs(value: string | null): number | undefined {
  const ms = Number(value ?? '0');
  return Number.isInteger(ms) && ms >= 0 && ms <= MAX_SLOW_MS ? ms : undefined;
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (req.method !== 'GET') {
    reply(res, 405, 'Only GET is served here.');
  } else if (url.pathname === '/') {
    reply(res, 200, `Hello from pid ${process.pid}`);
  } else if (url.pathname === '/healthz') {
    health(req, res);
  } else if (url.pathname === '/slow') {
    const ms = slowMs(url.searchParams.get('ms'));
    if (ms === undefined) reply(res, 400, `ms must be an integer between 0 and ${MAX_SLOW_MS}.`);
    else {
      setTimeout(() => {
        reply(res, 200, `Slept ${ms} ms in pid ${process.pid}`);
      }, ms);
    }
  } else {
    reply(res, 404, 'Not found.');
  }
});

const port = Number(process.env['PORT'] ?? '3000');
const handle = await serve(server, { fallback: { port } });
const where =
  handle.context === undefined
    ? `port ${port} (not under Einhorn)`
    : `Einhorn fd, child index ${handle.context.childIndex ?? '?'}`;
process.stderr.write(
  `example-http: pid ${process.pid} listening on ${where} at ${JSON.stringify(server.address())}\n`,
);
