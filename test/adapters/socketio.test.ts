// drainWebSockets(server, io) from the built @einhorn/net with the real Socket.IO, in one process
// on port 0: once draining, a new handshake (polling or WebSocket) is refused while requests of a
// live session (with its sid) are still served; an ack marked busy() goes out before the
// transport closes, and the client, told 'transport close', reconnects by itself.
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { Server as HttpServer } from 'node:http';
import { createConnection } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { drainOnShutdown, drainWebSockets } from '@einhorn/net';
import { Server } from 'socket.io';
import { io as connect } from 'socket.io-client';
import { describe, expect, it } from 'vitest';

const portOf = (server: HttpServer): number => (server.address() as AddressInfo).port;

async function listen(server: HttpServer): Promise<void> {
  server.listen({ host: '127.0.0.1', port: 0 });
  await once(server, 'listening');
}

/** Sends `request` on a raw socket and resolves with the response head and what follows it. */
function exchange(socket: Socket, request: string): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    const onData = (chunk: Buffer): void => {
      text += chunk.toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      const length = /\r\ncontent-length: (\d+)/i.exec(text)?.[1];
      if (end >= 0 && (length === undefined || text.length >= end + 4 + Number(length))) {
        socket.off('data', onData);
        resolve(text);
      }
    };
    socket.on('data', onData);
    socket.write(request);
  });
}

async function keptAlive(server: HttpServer): Promise<Socket> {
  const socket = createConnection({ host: '127.0.0.1', port: portOf(server) });
  await once(socket, 'connect');
  expect(await exchange(socket, 'GET / HTTP/1.1\r\nHost: localhost\r\n\r\n')).toMatch(
    /^HTTP\/1\.1 200/,
  );
  return socket;
}

const HANDSHAKE = 'GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: localhost\r\n\r\n';
const UPGRADE =
  'GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n' +
  'Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n';

describe('drainWebSockets (Socket.IO)', () => {
  it('refuses new handshakes once draining, and still serves a live session', async () => {
    const server = createServer((_req, res) => res.end('plain'));
    const io = new Server(server);
    const sockets = drainWebSockets(server, io, { graceMs: 60_000 });
    const handle = drainOnShutdown(server, {
      drainSocket: sockets.drainSocket,
      exit: false,
      signals: ['SIGUSR2'],
      idleGraceMs: 5000,
      timeoutMs: 2000,
    });
    await listen(server);
    const [live, polling, upgrading] = await Promise.all([
      keptAlive(server),
      keptAlive(server),
      keptAlive(server),
    ]);
    // Control: before the drain, a handshake opens a session, and an upgrade is accepted.
    const opened = await exchange(live, HANDSHAKE);
    expect(opened).toMatch(/^HTTP\/1\.1 200/);
    const sid = /"sid":"([^"]+)"/.exec(opened)?.[1] ?? '';
    expect(sid).not.toBe('');
    const before = createConnection({ host: '127.0.0.1', port: portOf(server) });
    await once(before, 'connect');
    expect(await exchange(before, UPGRADE)).toMatch(/^HTTP\/1\.1 101/);
    before.destroy();

    const closed = handle.close();
    const refused = await exchange(polling, HANDSHAKE);
    expect(refused).toMatch(/^HTTP\/1\.1 400/);
    expect(refused).toMatch(/\r\nConnection: close\r\n/i);
    expect(await exchange(upgrading, UPGRADE)).toMatch(/^HTTP\/1\.1 400/);
    // The session opened before the drain is still served (a Socket.IO CONNECT packet).
    const post = await exchange(
      live,
      `POST /socket.io/?EIO=4&transport=polling&sid=${sid} HTTP/1.1\r\nHost: localhost\r\n` +
        'Content-Type: text/plain\r\nContent-Length: 2\r\n\r\n40',
    );
    expect(post).toMatch(/^HTTP\/1\.1 200[^]*\r\n\r\nok$/);
    for (const socket of [live, polling, upgrading]) socket.destroy();
    await closed;
    await io.close();
  });

  it('an ack marked busy() goes out before the transport closes; the client reconnects', async () => {
    const server = createServer();
    const io = new Server(server);
    const sockets = drainWebSockets(server, io, { graceMs: 0 });
    let release: (() => void) | undefined;
    io.on('connection', (socket) => {
      socket.on('work', (name: string, ack: (reply: string) => void) => {
        sockets.busy(socket);
        release = () => {
          ack(`done ${name}`);
          sockets.idle(socket);
        };
      });
    });
    const handle = drainOnShutdown(server, {
      drainSocket: sockets.drainSocket,
      exit: false,
      signals: ['SIGUSR2'],
    });
    await listen(server);
    const client = connect(`http://127.0.0.1:${portOf(server)}`, {
      transports: ['websocket'],
      reconnection: true,
    });
    const events: string[] = [];
    client.on('disconnect', (reason) => {
      events.push(`disconnect ${reason}`);
      // What the client does next: with 'transport close' it stays active and reconnects.
      events.push(`active ${String(client.active)}`);
      client.disconnect();
    });
    await new Promise<void>((resolve) => client.once('connect', resolve));
    client.emit('work', 'one', (reply: string) => events.push(reply));
    await expect.poll(() => release).toBeDefined();
    const closed = handle.close();
    // The grace is over at once, but the ack is pending: the transport stays open.
    await expect.poll(() => handle.connections.isDraining).toBe(true);
    expect(events).toEqual([]);
    release?.();
    await expect.poll(() => events.length).toBe(3);
    expect(events).toEqual(['done one', 'disconnect transport close', 'active true']);
    await closed;
    await io.close();
  });
});
