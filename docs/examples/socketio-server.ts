// Socket.IO: drainWebSockets() from @einhorn/net takes a Socket.IO Server as well. When the drain
// starts, new handshakes are refused (the client retries and reaches the next generation); open
// connections are served for a grace period, then each one's transport is closed once no ack
// marked busy() is pending on it, so socket.io-client reconnects by itself.
import { createServer } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { Server } from 'socket.io';
import { drainWebSockets, serve } from '@einhorn/net';

// #region drain
const server = createServer((_req, res) => res.end('connect with Socket.IO\n'));
const io = new Server(server, { transports: ['websocket'] }); // workers are not sticky
const sockets = drainWebSockets(server, io, { graceMs: 500 });

io.on('connection', (socket) => {
  socket.emit('hello', { pid: process.pid });
  socket.on('echo', (text: string, ack: (reply: { echo: string; pid: number }) => void) => {
    sockets.busy(socket); // the transport stays open until this ack is written
    void delay(1) // stands for real asynchronous work
      .then(() => {
        ack({ echo: text, pid: process.pid });
      })
      .finally(() => {
        sockets.idle(socket);
      });
  });
});

await serve(server, { drainSocket: sockets.drainSocket, fallback: { port: 3000 } });
// #endregion drain
