import { once } from 'node:events';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server as SocketIoServer } from 'socket.io';
import { io as connectSocketIo } from 'socket.io-client';
import type { Socket as SocketIoClient } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { trackConnections } from './connection-tracker.ts';
import { drainWebSockets } from './websockets.ts';

// drainWebSockets() with a real Socket.IO server (websocket transport) on a real http.Server on
// port 0: a reply marked busy() goes out before the transport closes, the client sees
// 'transport close' (so socket.io-client would reconnect), and a new handshake is refused.

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

async function listen(server: Server): Promise<string> {
  server.listen({ host: '127.0.0.1', port: 0 });
  await once(server, 'listening');
  cleanups.push(() => {
    server.closeAllConnections();
    server.close();
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function client(url: string): SocketIoClient {
  const socket = connectSocketIo(url, { transports: ['websocket'], reconnection: false });
  cleanups.push(() => socket.close());
  return socket;
}

/** The arguments of the client's next `event`. */
function next(socket: SocketIoClient, event: 'connect' | 'connect_error'): Promise<unknown[]> {
  return new Promise((resolve) => {
    socket.once(event, (...args: unknown[]) => {
      resolve(args);
    });
  });
}

describe('drainWebSockets() with Socket.IO', () => {
  it('answers a busy request, then closes the transport; new handshakes are refused', async () => {
    const server = createServer();
    const io = new SocketIoServer(server, { transports: ['websocket'] });
    const sockets = drainWebSockets(server, io, { graceMs: 0 });
    let release: (() => void) | undefined;
    io.on('connection', (socket) => {
      socket.on('job', (ack: (reply: string) => void) => {
        sockets.busy(socket);
        release = () => {
          ack('done');
          sockets.idle(socket);
        };
      });
    });
    const url = await listen(server);
    const first = client(url);
    await next(first, 'connect');
    const events: string[] = [];
    const reply = new Promise<void>((resolve) => {
      first.emit('job', (answer: string) => {
        events.push(`ack ${answer}`);
        resolve();
      });
    });
    const disconnected = new Promise<void>((resolve) => {
      first.once('disconnect', (reason) => {
        events.push(reason);
        resolve();
      });
    });
    await expect.poll(() => release).toBeDefined();
    const tracker = trackConnections(server);
    void tracker.drain({ drainSocket: sockets.drainSocket, idleGraceMs: 0 });

    const late = client(url);
    const [refused] = await next(late, 'connect_error');
    expect(refused).toBeInstanceOf(Error);

    release?.();
    await Promise.all([reply, disconnected]);
    expect(events).toEqual(['ack done', 'transport close']);
    expect(first.active).toBe(true); // socket.io-client would reconnect (reconnection is off here)
  });

  it('control: before any drain, a new handshake connects', async () => {
    const server = createServer();
    const io = new SocketIoServer(server, { transports: ['websocket'] });
    drainWebSockets(server, io);
    const socket = client(await listen(server));
    await next(socket, 'connect');
    expect(socket.connected).toBe(true);
  });
});
