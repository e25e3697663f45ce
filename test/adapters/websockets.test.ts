// drainWebSockets() from the built @einhorn/net with the real `ws`, in one process on port 0:
// upgrades refused with 503 once draining (ws attached with { server } and with noServer), a
// reply marked busy() goes out before the 1001 close frame, and malformed arguments are refused.
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { createConnection } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { isEinhornError } from '@einhorn/core';
import { drainOnShutdown, drainWebSockets } from '@einhorn/net';
import { describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';

const portOf = (server: Server): number => (server.address() as AddressInfo).port;

async function listen(server: Server): Promise<void> {
  server.listen({ host: '127.0.0.1', port: 0 });
  await once(server, 'listening');
}

/** Sends `request` on a raw socket and resolves with everything read until the next blank line. */
function exchange(socket: Socket, request: string): Promise<string> {
  return new Promise((resolve) => {
    let head = '';
    const onData = (chunk: Buffer): void => {
      head += chunk.toString('latin1');
      if (head.includes('\r\n\r\n')) {
        socket.off('data', onData);
        resolve(head);
      }
    };
    socket.on('data', onData);
    socket.write(request);
  });
}

const UPGRADE =
  'GET / HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
  'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n';

describe('drainWebSockets (ws)', () => {
  for (const mode of ['server', 'noServer'] as const) {
    it(`{ ${mode} }: an upgrade request on a kept-alive connection gets 503 and Connection: close once draining`, async () => {
      const server = createServer((_req, res) => res.end('plain'));
      const wss =
        mode === 'server'
          ? new WebSocketServer({ server })
          : new WebSocketServer({ noServer: true });
      if (mode === 'noServer')
        server.on('upgrade', (req, socket, head) => {
          wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
        });
      const sockets = drainWebSockets(server, wss);
      const handle = drainOnShutdown(server, {
        drainSocket: sockets.drainSocket,
        exit: false,
        signals: ['SIGUSR2'],
        idleGraceMs: 5000,
      });
      await listen(server);
      const socket = createConnection({ host: '127.0.0.1', port: portOf(server) });
      await once(socket, 'connect');
      expect(await exchange(socket, 'GET / HTTP/1.1\r\nHost: localhost\r\n\r\n')).toMatch(
        /^HTTP\/1\.1 200/,
      );
      // Control: before the drain, the same request upgrades.
      const before = createConnection({ host: '127.0.0.1', port: portOf(server) });
      await once(before, 'connect');
      expect(await exchange(before, UPGRADE)).toMatch(/^HTTP\/1\.1 101/);
      before.destroy();

      const closed = handle.close();
      const answer = await exchange(socket, UPGRADE);
      expect(answer).toMatch(/^HTTP\/1\.1 503/);
      expect(answer).toMatch(/\r\nConnection: close\r\n/i);
      await once(socket, 'close');
      await closed;
    });
  }

  it('a reply marked busy() goes out before the 1001 close frame', async () => {
    const server = createServer();
    const wss = new WebSocketServer({ server });
    const sockets = drainWebSockets(server, wss, { graceMs: 0 });
    let release: (() => void) | undefined;
    wss.on('connection', (ws) => {
      ws.on('message', (data: Buffer) => {
        sockets.busy(ws);
        release = () => {
          ws.send(`reply to ${data.toString('utf8')}`);
          sockets.idle(ws);
        };
      });
    });
    const handle = drainOnShutdown(server, {
      drainSocket: sockets.drainSocket,
      exit: false,
      signals: ['SIGUSR2'],
    });
    await listen(server);
    const client = new WebSocket(`ws://127.0.0.1:${portOf(server)}/`);
    const events: string[] = [];
    client.on('message', (data: Buffer) => events.push(data.toString('utf8')));
    client.on('close', (code: number) => events.push(`close ${code}`));
    await once(client, 'open');
    client.send('one');
    await expect.poll(() => release).toBeDefined();
    const closed = handle.close();
    // The grace is over at once, but the reply is pending: no close frame yet.
    await expect.poll(() => handle.connections.isDraining).toBe(true);
    expect(events).toEqual([]);
    release?.();
    await once(client, 'close');
    expect(events).toEqual(['reply to one', 'close 1001']);
    await closed;
  });

  it('refuses a wss without on() and close(), and a reason over 123 bytes', () => {
    const server = createServer();
    const refusal = (call: () => unknown): unknown => {
      try {
        call();
      } catch (error) {
        return isEinhornError(error, 'ERR_EINHORN_INVALID_OPTIONS')
          ? (error.details as { option: string }).option
          : error;
      }
      return 'valid';
    };
    expect(refusal(() => drainWebSockets(server, {} as never))).toBe('wss');
    const wss = new WebSocketServer({ noServer: true });
    expect(refusal(() => drainWebSockets(server, wss, { reason: 'x'.repeat(124) }))).toBe('reason');
    expect(refusal(() => drainWebSockets(server, wss, { code: 999 }))).toBe('code');
  });
});
