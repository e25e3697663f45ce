// A raw net.Server speaking a line protocol, run by serve() from @einhorn/net. serve() cannot
// know when a reply is in flight or how this protocol says goodbye, so the server marks each
// request busy/idle on the tracker serve() drains with, and says "bye" itself.
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { serve, trackConnections } from '@einhorn/net';

const BYE = 'bye: server restarting, reconnect\n';

const server = createServer((socket) => {
  socket.on('error', () => socket.destroy()); // a client reset: nothing left to answer
  createInterface({ input: socket, crlfDelay: Infinity })
    .on('error', () => socket.destroy()) // readline re-emits the socket's errors
    .on('line', (line) => {
      connections.busy(socket); // a drain waits for this reply
      const reply = `echo ${line}\n`;
      // Draining: this is the connection's last reply; say so in it, then close.
      if (connections.isDraining) socket.end(reply + BYE);
      else if (socket.writable) socket.write(reply);
      connections.idle(socket);
    })
    .on('close', () => socket.end());
});
const connections = trackConnections(server); // the same tracker serve() drains with

await serve(server, {
  fallback: { port: Number(process.env['PORT'] ?? '3000') },
  // Called for each connection that is idle when draining starts (or becomes idle later).
  drainSocket: (socket) => {
    socket.end(BYE);
  },
  timeoutMs: 10_000, // connections still open then are destroyed
});
process.stderr.write(`line server ${process.pid} up\n`);
