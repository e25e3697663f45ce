// A line echo server: a raw net.Server run as an Einhorn worker by @einhorn/net's serve().
// Each line a client sends comes back. On SIGUSR2 it stops accepting, ends every connection
// (the protocol has no goodbye message) and exits. Outside Einhorn it listens on $PORT
// (default 3000). Try it with `nc 127.0.0.1 8080`.
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { serve } from '@einhorn/net';

const server = createServer((socket) => {
  socket.on('error', () => {
    socket.destroy(); // a client reset: nothing to answer
  });
  const lines = createInterface({
    input: socket,
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  lines.on('line', (line) => {
    if (socket.writable) socket.write(`${line}\n`);
  });
  lines.on('close', () => {
    socket.end();
  });
});

const port = Number(process.env['PORT'] ?? '3000');
const handle = await serve(server, {
  fallback: { port },
  // serve() drains HTTP by itself; for a raw protocol it asks us to finish each connection.
  drainSocket: (socket) => {
    socket.end();
  },
});
const where =
  handle.context === undefined
    ? `port ${port} (not under Einhorn)`
    : `Einhorn fd, child index ${handle.context.childIndex ?? '?'}`;
process.stderr.write(
  `example-net-echo: pid ${process.pid} listening on ${where} at ${JSON.stringify(server.address())}\n`,
);
