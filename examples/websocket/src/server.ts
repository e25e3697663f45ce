// A `ws` echo server run as an Einhorn worker by @einhorn/net's serve(): it adopts the socket the
// master passes down and ACKs. On SIGUSR2, SIGTERM or SIGINT it stops accepting upgrades (503),
// keeps echoing for a grace period, then closes every WebSocket with 1001 (going away): clients
// reconnect and reach the next generation. Outside Einhorn it listens on $PORT (default 3000).
//
// Protocol: on connect the server sends {"hello":{"pid":…}}; every text message is echoed back
// as {"echo":<the message>,"pid":…}. GET / answers with a short text page (no upgrade).
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';
import { drainWebSockets, serve } from '@einhorn/net';

const server = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(`WebSocket echo server, pid ${process.pid}: connect with ws://<host>/\n`);
});
const wss = new WebSocketServer({ server, maxPayload: 64 * 1024 });
const sockets = drainWebSockets(server, wss);

wss.on('connection', (ws) => {
  ws.send(JSON.stringify({ hello: { pid: process.pid } }));
  ws.on('message', (data, isBinary) => {
    if (isBinary) {
      ws.close(1003, 'text messages only');
      return;
    }
    // Answered synchronously: the echo is queued before any close frame the drain sends.
    // ws delivers a text message as one Buffer (binaryType 'nodebuffer', the default).
    const text = Buffer.isBuffer(data) ? data.toString('utf8') : '';
    ws.send(JSON.stringify({ echo: text, pid: process.pid }));
  });
});

const port = Number(process.env['PORT'] ?? '3000');
const handle = await serve(server, {
  fallback: { port },
  drainSocket: sockets.drainSocket,
});
const where =
  handle.context === undefined
    ? `port ${port} (not under Einhorn)`
    : `Einhorn fd, child index ${handle.context.childIndex ?? '?'}`;
process.stderr.write(
  `example-websocket: pid ${process.pid} listening on ${where} at ${JSON.stringify(server.address())}\n`,
);
