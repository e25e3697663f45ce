// The same lifecycle as serve(), by hand, for servers you listen yourself: drainOnShutdown()
// from @einhorn/net gives them serve()'s drain in one call, and @einhorn/worker's primitives
// adopt the socket and ACK.
import { createServer } from 'node:http';
import { drainOnShutdown } from '@einhorn/net';
import { ack, getWorkerContext, listenOnFd } from '@einhorn/worker';

const context = getWorkerContext(); // throws unless EINHORN_MASTER_PID is our parent
const server = createServer((_req, res) => {
  res.end(`Hello from child ${context.childIndex ?? '?'}\n`);
});

// 1. Be ready to drain *before* listening and ACKing: on SIGUSR2, SIGTERM or SIGINT it stops
//    accepting (the master keeps the socket), answers in-flight requests with
//    Connection: close, closes idle keep-alive sockets after a grace period, and exits.
drainOnShutdown(server, { timeoutMs: 20_000 });

// 2. Adopt EINHORN_FD_0, keeping the listen backlog the master chose.
await listenOnFd(server, { index: 0 });

// 3. Only now tell the master that this worker serves.
await ack();
process.stderr.write(`worker ${context.pid} acked to master ${context.masterPid}\n`);
