// A raw net.Server speaking a line protocol, run by serve() from @einhorn/net. serve() cannot
// know how this protocol says goodbye, so drainSocket does it for each open connection.
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { serve } from '@einhorn/net';

const server = createServer((socket) => {
  socket.on('error', () => socket.destroy()); // a client reset: nothing left to answer
  createInterface({ input: socket, crlfDelay: Infinity })
    .on('line', (line) => {
      if (socket.writable) socket.write(`echo ${line}\n`);
    })
    .on('close', () => socket.end());
});

await serve(server, {
  fallback: { port: Number(process.env['PORT'] ?? '3000') },
  // Called once per connection when draining starts (and for any accepted later).
  drainSocket: (socket) => {
    socket.end('bye: server restarting, reconnect\n');
  },
  timeoutMs: 10_000, // connections still open then are destroyed
});
process.stderr.write(`line server ${process.pid} up\n`);
