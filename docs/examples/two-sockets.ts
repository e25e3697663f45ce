// One worker, two listening sockets: public traffic on EINHORN_FD_0, an admin port on
// EINHORN_FD_1. Start the master with two -b options, in that order:
//   einhorn-node -b 0.0.0.0:8080 -b 127.0.0.1:9090 -m manual -n 4 -- node two-sockets.js
import { createServer } from 'node:http';
import { createHealthHandler, serve } from '@einhorn/net';

const publicServer = createServer((_req, res) => {
  res.end(`Hello from worker ${process.pid}\n`);
});

const health = createHealthHandler();
const adminServer = createServer((req, res) => {
  if (req.url === '/healthz') health(req, res);
  else res.writeHead(404).end();
});

// ack: 'manual' on both; ACK once, when both sockets are adopted.
const admin = await serve(adminServer, { index: 1, ack: 'manual' });
const web = await serve(publicServer, { index: 0, ack: 'manual', timeoutMs: 20_000 });
await web.ack(); // idempotent per process: one ACK, whichever handle sends it
process.stderr.write(
  `worker ${process.pid}: public ${web.state}, admin ${admin.state}, child ${admin.context?.childIndex ?? '?'}\n`,
);
