// WebSockets with ws: drainWebSockets() from @einhorn/net stops new upgrades when the drain
// starts (503), keeps serving open sockets for a grace period, then closes each with 1001
// (going away) once no reply marked busy() is pending on it. Clients reconnect and reach the
// next generation. Here ws runs without a server of its own (noServer) behind our 'upgrade'.
import { createServer } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { WebSocketServer } from 'ws';
import { drainWebSockets, serve } from '@einhorn/net';

// #region drain
const server = createServer((_req, res) => res.end('connect with WebSocket\n'));
const wss = new WebSocketServer({ noServer: true });
server.on('upgrade', (req, socket, head) => {
  wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
});
const sockets = drainWebSockets(server, wss, { graceMs: 500 });

wss.on('connection', (ws) => {
  ws.send(JSON.stringify({ hello: { pid: process.pid } }));
  ws.on('message', (data: Buffer) => {
    sockets.busy(ws); // the close frame waits for this reply
    void delay(1) // stands for real asynchronous work
      .then(() => {
        ws.send(JSON.stringify({ echo: data.toString('utf8'), pid: process.pid }));
      })
      .finally(() => {
        sockets.idle(ws);
      });
  });
});

await serve(server, { drainSocket: sockets.drainSocket, fallback: { port: 3000 } });
// #endregion drain
