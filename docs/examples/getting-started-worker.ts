// Your first Einhorn worker: a node:http server run by serve() from @einhorn/net.
// Under einhorn-node (or the Ruby einhorn) it adopts the socket the master holds, tells the
// master it is up (the ACK), and drains on SIGUSR2. Started on its own, it listens on $PORT.
import { createServer } from 'node:http';
import { createHealthHandler, serve } from '@einhorn/net';

const health = createHealthHandler(); // 200 while serving, 503 once draining

const server = createServer((req, res) => {
  if (req.url === '/healthz') {
    health(req, res);
    return;
  }
  res.setHeader('content-type', 'text/plain; charset=utf-8');
  res.end(`Hello from worker ${process.pid}\n`);
});

const port = Number(process.env['PORT'] ?? '3000');
const handle = await serve(server, { fallback: { port } });
const where = handle.context ? `child index ${handle.context.childIndex ?? '?'}` : `port ${port}`;
process.stderr.write(`worker ${process.pid} serving on ${where}\n`);
