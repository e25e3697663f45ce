// The same lifecycle as serve(), by hand, with @einhorn/worker's primitives: for servers
// serve() does not fit, or to see exactly what happens and in which order.
import { createServer } from 'node:http';
import { Server } from 'node:net';
import { trackConnections } from '@einhorn/net';
import { ack, getWorkerContext, listenOnFd, onGracefulShutdown } from '@einhorn/worker';

const context = getWorkerContext(); // throws unless EINHORN_MASTER_PID is our parent
const server = createServer((_req, res) => {
  res.end(`Hello from child ${context.childIndex ?? '?'}\n`);
});
const connections = trackConnections(server); // counts requests per keep-alive socket

// 1. Be ready to drain *before* the ACK: a SIGUSR2 right after it must not kill us.
onGracefulShutdown(
  async ({ abortSignal }) => {
    Server.prototype.close.call(server); // stop accepting; the master keeps the socket open
    await connections.drain({ idleGraceMs: 1_000, signal: abortSignal });
  },
  { timeoutMs: 20_000 },
);

// 2. Adopt EINHORN_FD_0, keeping the listen backlog the master chose.
await listenOnFd(server, { index: 0 });

// 3. Only now tell the master that this worker serves.
await ack();
process.stderr.write(`worker ${context.pid} acked to master ${context.masterPid}\n`);
