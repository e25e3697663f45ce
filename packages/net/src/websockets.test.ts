import { EventEmitter, once } from 'node:events';
import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { isEinhornError } from '@einhorn/core';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { trackConnections } from './connection-tracker.ts';
import type { WebSocketLike, WebSocketServerLike } from './types.ts';
import { drainWebSockets } from './websockets.ts';

// drainWebSockets() with a real `ws` server on a real http.Server (port 0): upgrades are refused
// with 503 once the drain starts, open WebSockets get a 1001 close after the grace, and a
// message marked busy() holds that close back until idle().

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
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function openClient(address: string): Promise<WebSocket> {
  const client = new WebSocket(`ws://${address}/`);
  cleanups.push(() => {
    client.terminate();
  });
  await once(client, 'open');
  return client;
}

/** Resolves with the close code and reason the client received. */
function closeOf(client: WebSocket): Promise<[number, string]> {
  return new Promise((resolve) => {
    client.once('close', (code: number, reason: Buffer) => {
      resolve([code, reason.toString()]);
    });
  });
}

/** Resolves once every timer of `ms` created before this call has run (Node runs them in order). */
function afterTimersOf(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The status of the answer to a WebSocket upgrade request, or 'open' if it was accepted. */
async function upgradeStatus(address: string): Promise<number | 'open'> {
  const client = new WebSocket(`ws://${address}/`);
  client.on('error', () => undefined);
  cleanups.push(() => {
    client.terminate();
  });
  return new Promise((resolve) => {
    client.once('open', () => {
      resolve('open');
    });
    client.once('unexpected-response', (_req, res: IncomingMessage) => {
      expect(res.headers.connection).toBe('close');
      resolve(res.statusCode ?? 0);
      res.resume();
    });
  });
}

function refusal(run: () => unknown): { option: string; found: string } | 'valid' {
  try {
    run();
  } catch (error) {
    if (!isEinhornError(error, 'ERR_EINHORN_INVALID_OPTIONS')) throw error;
    return error.details as { option: string; found: string };
  }
  return 'valid';
}

describe('drainWebSockets (real ws server)', () => {
  it('closes an open WebSocket with 1001 once the grace is over, and answers later upgrades with 503', async () => {
    const server = createServer();
    const wss = new WebSocketServer({ server });
    const sockets = drainWebSockets(server, wss, { graceMs: 0 });
    const address = await listen(server);
    const client = await openClient(address);
    const closed = closeOf(client);
    const tracker = trackConnections(server);
    expect(tracker.connections).toBe(1);

    const drained = tracker.drain({ drainSocket: sockets.drainSocket, idleGraceMs: 0 });
    expect(await closed).toEqual([1001, 'server going away']);
    await drained;
    expect(tracker.connections).toBe(0);
    // The server still listens (the master would hand the socket on): upgrades are refused.
    expect(await upgradeStatus(address)).toBe(503);
  });

  it('control: before any drain, the same upgrade is accepted', async () => {
    const server = createServer();
    const wss = new WebSocketServer({ server });
    drainWebSockets(server, wss);
    const address = await listen(server);
    expect(await upgradeStatus(address)).toBe('open');
  });

  it('keeps a WebSocket with a busy() message open past the grace, and closes it with the given code on idle()', async () => {
    const server = createServer();
    const wss = new WebSocketServer({ server });
    const sockets = drainWebSockets(server, wss, { graceMs: 0, code: 4000, reason: 'bye' });
    let serverSide: WebSocketLike | undefined;
    wss.on('connection', (ws) => {
      serverSide = ws;
      ws.on('message', () => {
        sockets.busy(ws);
        ws.send('working');
      });
    });
    const address = await listen(server);
    const client = await openClient(address);
    const closed = closeOf(client);
    let closeSeen = false;
    void closed.then(() => (closeSeen = true));
    client.send('job');
    await once(client, 'message');
    const tracker = trackConnections(server);
    expect(tracker.activeRequests).toBe(0); // busy() is the WebSocket's own count, not the tracker's

    void tracker.drain({ drainSocket: sockets.drainSocket, idleGraceMs: 0 });
    // The grace timer (0 ms) was created before this one, so it has run when this resolves.
    await afterTimersOf(0);
    expect(serverSide?.readyState).toBe(WebSocket.OPEN);
    expect(closeSeen).toBe(false);
    // An idle() without a busy() on another socket, or a second one here, changes nothing.
    sockets.idle({ readyState: 1, close: () => undefined, once: () => undefined });
    sockets.busy(serverSide!);
    sockets.idle(serverSide!);
    await afterTimersOf(0);
    expect(serverSide?.readyState).toBe(WebSocket.OPEN);

    sockets.idle(serverSide!);
    expect(serverSide?.readyState).toBe(WebSocket.CLOSING);
    expect(await closed).toEqual([4000, 'bye']);
    // idle() after the count reached zero is ignored.
    sockets.idle(serverSide!);
  });

  it('hands upgraded sockets it does not own to options.drainSocket (noServer with a raw protocol)', async () => {
    const server = createServer();
    const wss = new WebSocketServer({ noServer: true });
    const handed: Duplex[] = [];
    const sockets = drainWebSockets(server, wss, {
      graceMs: 0,
      drainSocket: (socket) => {
        handed.push(socket);
        socket.end('bye\n');
      },
    });
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (req.headers.upgrade === 'websocket') {
        wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
        return;
      }
      socket.write(
        'HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n',
      );
      socket.on('data', (data) => socket.write(data));
    });
    const address = await listen(server);
    const [host, port] = address.split(':') as [string, string];
    const raw: Socket = connect({ host, port: Number(port) });
    cleanups.push(() => raw.destroy());
    raw.write(
      `GET /raw HTTP/1.1\r\nHost: ${address}\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n`,
    );
    await once(raw, 'data');
    const ws = await openClient(address);
    const wsClosed = closeOf(ws);
    let rawText = '';
    raw.on('data', (chunk: Buffer) => (rawText += chunk.toString()));
    const rawEnded = once(raw, 'end');

    const tracker = trackConnections(server);
    const drained = tracker.drain({ drainSocket: sockets.drainSocket, idleGraceMs: 0 });
    await rawEnded;
    expect(rawText).toBe('bye\n');
    expect(handed).toHaveLength(1);
    expect((await wsClosed)[0]).toBe(1001);
    raw.end();
    await drained;
    // With noServer, ws never listened for upgrades: ours stays the only one, and still answers.
    expect(server.listenerCount('upgrade')).toBeGreaterThan(0);
  });

  it('leaves a socket it does not own alone without options.drainSocket, until the deadline destroys it', async () => {
    const server = createServer();
    const wss = new WebSocketServer({ noServer: true });
    const sockets = drainWebSockets(server, wss);
    server.on('upgrade', (_req: IncomingMessage, socket: Duplex) => {
      socket.write(
        'HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n',
      );
    });
    const address = await listen(server);
    const [host, port] = address.split(':') as [string, string];
    const raw: Socket = connect({ host, port: Number(port) });
    cleanups.push(() => raw.destroy());
    raw.write(`GET / HTTP/1.1\r\nHost: ${address}\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n`);
    await once(raw, 'data');
    const tracker = trackConnections(server);
    const deadline = new AbortController();
    let drainedFirst = false;
    const drained = tracker.drain({
      drainSocket: sockets.drainSocket,
      idleGraceMs: 0,
      signal: deadline.signal,
    });
    void drained.then(() => (drainedFirst = true));
    raw.write('ping');
    await afterTimersOf(0);
    expect(raw.destroyed).toBe(false);
    expect(drainedFirst).toBe(false);
    const rawClosed = once(raw, 'close');
    deadline.abort();
    await rawClosed;
    await drained;
  });

  it('closes at once a WebSocket that a ws-like server emits while the drain has started', async () => {
    const server = createServer();
    const wss = Object.assign(new EventEmitter(), { closes: 0 }) as EventEmitter &
      WebSocketServerLike & { closes: number };
    wss.close = () => {
      wss.closes += 1;
    };
    drainWebSockets(server, wss, { graceMs: 60_000 });
    const tracker = trackConnections(server);
    void tracker.drain({ idleGraceMs: 0 });
    expect(wss.closes).toBe(1); // upgrades stop when the drain starts, once
    const closes: [number | undefined, string | undefined][] = [];
    const ws: WebSocketLike = {
      readyState: 1,
      close: (code, reason) => closes.push([code, reason]),
      once: () => undefined,
    };
    wss.emit('connection', ws, { socket: new EventEmitter() });
    await afterTimersOf(0); // its own grace is 0, not graceMs: this timer runs after it
    expect(closes).toEqual([[1001, 'server going away']]);
    expect(wss.closes).toBe(1);
    tracker.dispose();
  });

  it('refuses malformed arguments with ERR_EINHORN_INVALID_OPTIONS', () => {
    const server = createServer();
    const wss = new WebSocketServer({ noServer: true });
    const check = (s: unknown, w: unknown, options?: unknown) =>
      refusal(() => drainWebSockets(s as Server, w as WebSocketServerLike, options as object));
    expect(check(server, { on: () => undefined })).toMatchObject({ option: 'wss' });
    expect(check(server, { close: () => undefined })).toMatchObject({ option: 'wss' });
    expect(check(server, null)).toMatchObject({ option: 'wss', found: 'null' });
    expect(check({}, wss)).toMatchObject({ option: 'server' });
    expect(check(server, wss, 'fast')).toMatchObject({ option: 'options' });
    expect(check(server, wss, { code: 999 })).toMatchObject({ option: 'code' });
    expect(check(server, wss, { code: 1001.5 })).toMatchObject({ option: 'code' });
    expect(check(server, wss, { graceMs: -1 })).toMatchObject({ option: 'graceMs' });
    expect(check(server, wss, { drainSocket: 'end' })).toMatchObject({ option: 'drainSocket' });
    expect(check(server, wss, { reason: 42 })).toMatchObject({ option: 'reason' });
    expect(check(server, wss, { reason: 'é'.repeat(62) })).toMatchObject({ option: 'reason' });
    // Control: the same shapes, well formed, are accepted (123 bytes is the limit).
    expect(
      check(server, { on: () => undefined, close: () => undefined }, { reason: 'é'.repeat(61) }),
    ).toBe('valid');
    expect(check(server, wss, { code: 4999, graceMs: 0, reason: 'x'.repeat(123) })).toBe('valid');
    trackConnections(server).dispose();
  });
});
