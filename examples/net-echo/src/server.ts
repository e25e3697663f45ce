// A line echo server: a raw net.Server run as an Einhorn worker by @einhorn/net's serve().
// Each line a client sends comes back. It marks each request busy/idle on the tracker that
// serve() drains with, so a drain never cuts a reply in flight: on SIGUSR2, SIGTERM or SIGINT
// it stops accepting, ends each connection after its last reply (or once it stayed idle for
// the grace period; the protocol has no goodbye message) and exits. Outside Einhorn it listens
// on $PORT (default 3000). Try it with `nc 127.0.0.1 8080`.
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { serve, trackConnections } from '@einhorn/net';

const server = createServer((socket) => {
  socket.on('error', () => {
    socket.destroy(); // a client reset: nothing to answer
  });
  const lines = createInterface({
    input: socket,
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  lines.on('error', () => {
    socket.destroy(); // readline re-emits the socket's errors
  });
  lines.on('line', (line) => {
    connections.busy(socket);
    // Draining: this is the connection's last reply, so close after it.
    if (connections.isDraining) socket.end(`${line}\n`);
    else if (socket.writable) socket.write(`${line}\n`);
    connections.idle(socket);
  });
  lines.on('close', () => {
    socket.end();
  });
});
const connections = trackConnections(server); // the tracker serve() drains with

const port = Number(process.env['PORT'] ?? '3000');
const handle = await serve(server, { fallback: { port } });
const where =
  handle.context === undefined
    ? `port ${port} (not under Einhorn)`
    : `Einhorn fd, child index ${handle.context.childIndex ?? '?'}`;
process.stderr.write(
  `example-net-echo: pid ${process.pid} listening on ${where} at ${JSON.stringify(server.address())}\n`,
);
