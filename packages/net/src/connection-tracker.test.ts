import { once } from 'node:events';
import { createServer } from 'node:http';
import type { Server as HttpServer } from 'node:http';
import { connect, createServer as createNetServer, Server } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { trackConnections } from './connection-tracker.ts';

const servers: Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

async function listening<T extends Server>(server: T): Promise<T> {
  servers.push(server);
  server.listen({ host: '127.0.0.1', port: 0 });
  await once(server, 'listening');
  return server;
}

/** A raw keep-alive HTTP client on one socket. */
async function client(server: Server) {
  const socket = connect({ host: '127.0.0.1', port: (server.address() as AddressInfo).port });
  await once(socket, 'connect');
  let buffer = '';
  const waiters: ((text: string) => void)[] = [];
  socket.setEncoding('utf8').on('data', (chunk: string) => {
    buffer += chunk;
    const end = buffer.indexOf('\r\n\r\n');
    if (end >= 0) {
      const length = Number(/content-length: (\d+)/i.exec(buffer)?.[1] ?? '0');
      if (buffer.length >= end + 4 + length) {
        const response = buffer.slice(0, end + 4 + length);
        buffer = buffer.slice(end + 4 + length);
        waiters.shift()?.(response);
      }
    }
  });
  let errored = false;
  socket.on('error', () => (errored = true));
  const closed = new Promise<{ clean: boolean }>((resolve) =>
    socket.once('close', (hadError) => {
      resolve({ clean: !hadError && !errored });
    }),
  );
  return {
    socket,
    closed,
    get(path: string): Promise<string> {
      return new Promise((resolve) => {
        waiters.push(resolve);
        socket.write(`GET ${path} HTTP/1.1\r\nHost: t\r\n\r\n`);
      });
    },
  };
}

function httpServer(): { server: HttpServer; release: () => void; arrived: Promise<void> } {
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  let arrive: () => void = () => undefined;
  const arrived = new Promise<void>((resolve) => (arrive = resolve));
  const server = createServer((req, res) => {
    if (req.url === '/hold') {
      arrive();
      void held.then(() => res.end('held'));
    } else res.end('ok');
  });
  return {
    server,
    release: () => {
      release();
    },
    arrived,
  };
}

describe('trackConnections (http.Server)', () => {
  it('counts connections and requests in flight', async () => {
    const { server, release, arrived } = httpServer();
    const tracker = trackConnections(server);
    await listening(server);
    const c = await client(server);
    const response = c.get('/hold');
    await arrived;
    expect(tracker.connections).toBe(1);
    expect(tracker.activeRequests).toBe(1);
    release();
    expect(await response).toMatch(/keep-alive/i);
    await vi.waitFor(() => {
      expect(tracker.activeRequests).toBe(0);
    });
    c.socket.destroy();
  });

  it('drain: the in-flight response gets Connection: close and the socket then closes cleanly', async () => {
    const { server, release, arrived } = httpServer();
    const tracker = trackConnections(server);
    await listening(server);
    const c = await client(server);
    const response = c.get('/hold');
    await arrived;
    Server.prototype.close.call(server);
    const drained = tracker.drain({ idleGraceMs: 60_000 });
    expect(tracker.isDraining).toBe(true);
    release();
    expect(await response).toMatch(/\r\nConnection: close\r\n/);
    expect(await c.closed).toEqual({ clean: true });
    await drained;
    expect(tracker.connections).toBe(0);
  });

  it('drain: a request that arrives on an idle keep-alive socket during the grace period is answered, with Connection: close', async () => {
    const { server } = httpServer();
    const tracker = trackConnections(server);
    await listening(server);
    const c = await client(server);
    await c.get('/');
    const drained = tracker.drain({ idleGraceMs: 60_000 });
    expect(await c.get('/')).toMatch(/^HTTP\/1\.1 200[\s\S]*\r\nConnection: close\r\n/);
    expect(await c.closed).toEqual({ clean: true });
    await drained;
  });

  it('drain: closes an idle keep-alive socket once the grace period passes', async () => {
    const { server } = httpServer();
    const tracker = trackConnections(server);
    await listening(server);
    const c = await client(server);
    await c.get('/');
    await tracker.drain({ idleGraceMs: 10 });
    expect(await c.closed).toEqual({ clean: true });
  });

  it('drain: aborting the signal destroys whatever is left and resolves the drain', async () => {
    const { server, arrived } = httpServer();
    const tracker = trackConnections(server);
    await listening(server);
    const c = await client(server);
    void c.get('/hold');
    await arrived;
    const controller = new AbortController();
    const drained = tracker.drain({ signal: controller.signal });
    expect(tracker.drain()).toBe(drained);
    controller.abort();
    await drained;
    expect(tracker.connections).toBe(0);
  });

  it("hands upgraded sockets to drainSocket, and adds no 'upgrade' listener unless the server has one", async () => {
    const { server } = httpServer();
    const tracker = trackConnections(server);
    expect(server.listenerCount('upgrade')).toBe(0);
    const upgraded: Socket[] = [];
    server.on('upgrade', (_req, socket: Socket) => {
      socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\nConnection: Upgrade\r\n\r\n');
      upgraded.push(socket);
    });
    await vi.waitFor(() => {
      expect(server.listenerCount('upgrade')).toBe(2);
    });
    await listening(server);
    const c = await client(server);
    c.socket.write('GET / HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: x\r\n\r\n');
    await vi.waitFor(() => {
      expect(upgraded).toHaveLength(1);
    });
    const handed: unknown[] = [];
    const drained = tracker.drain({
      idleGraceMs: 0,
      drainSocket: (socket) => {
        handed.push(socket);
        socket.end();
      },
    });
    await drained;
    expect(handed).toEqual(upgraded);
  });

  it("removes its own 'upgrade' listener once the server has none, so Node's default applies again", async () => {
    const server = createServer();
    const tracker = trackConnections(server);
    const upgrade = (): void => undefined;
    server.on('upgrade', upgrade);
    await vi.waitFor(() => {
      expect(server.listenerCount('upgrade')).toBe(2);
    });
    server.off('upgrade', upgrade);
    await vi.waitFor(() => {
      expect(server.listenerCount('upgrade')).toBe(0);
    });
    tracker.dispose();
  });

  it('drain with a signal that is already aborted destroys every connection at once', async () => {
    const { server, arrived } = httpServer();
    const tracker = trackConnections(server);
    await listening(server);
    const c = await client(server);
    let answered = false;
    void c.get('/hold').then(() => (answered = true));
    await arrived;
    await tracker.drain({ idleGraceMs: 60_000, signal: AbortSignal.abort() });
    expect(tracker.connections).toBe(0);
    await c.closed;
    expect(answered).toBe(false); // the request in flight was cut off, not answered
  });

  it('tracks requests on a connection accepted before the tracker was created', async () => {
    const { server, release, arrived } = httpServer();
    await listening(server);
    const c = await client(server);
    await c.get('/');
    const tracker = trackConnections(server);
    const response = c.get('/hold');
    await arrived;
    expect(tracker.activeRequests).toBe(1);
    expect(tracker.connections).toBe(0); // its 'connection' event came before the tracker
    release();
    expect(await response).toMatch(/^HTTP\/1\.1 200/);
    await vi.waitFor(() => {
      expect(tracker.activeRequests).toBe(0);
    });
    c.socket.destroy();
    tracker.dispose();
  });

  it('dispose removes every listener it added', () => {
    const server = createServer();
    const before = ['connection', 'request', 'newListener', 'removeListener'].map((event) =>
      server.listenerCount(event),
    );
    trackConnections(server).dispose();
    expect(
      ['connection', 'request', 'newListener', 'removeListener'].map((event) =>
        server.listenerCount(event),
      ),
    ).toEqual(before);
  });
});

describe('trackConnections (plain net.Server)', () => {
  it('hands every connection to drainSocket and resolves once they closed', async () => {
    const server = createNetServer((socket) => socket.on('data', (chunk) => socket.write(chunk)));
    const tracker = trackConnections(server);
    await listening(server);
    const socket = connect({ host: '127.0.0.1', port: (server.address() as AddressInfo).port });
    await once(socket, 'connect');
    await vi.waitFor(() => {
      expect(tracker.connections).toBe(1);
    });
    let received = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
    const closed = once(socket, 'close');
    await tracker.drain({ drainSocket: (s) => s.end('bye') });
    await closed;
    expect(received).toBe('bye');
  });

  it('destroys a connection whose drainSocket throws, and still finishes the drain', async () => {
    const server = createNetServer();
    const tracker = trackConnections(server);
    await listening(server);
    const socket = connect({ host: '127.0.0.1', port: (server.address() as AddressInfo).port });
    socket.on('error', () => undefined);
    await once(socket, 'connect');
    await vi.waitFor(() => {
      expect(tracker.connections).toBe(1);
    });
    const closed = once(socket, 'close');
    const drainSocket = vi.fn(() => {
      throw new Error('protocol goodbye failed');
    });
    await tracker.drain({ drainSocket });
    await closed;
    expect(drainSocket).toHaveBeenCalledOnce();
    expect(tracker.connections).toBe(0);
  });

  it('busy/idle: a drain waits for the reply in flight, then hands the connection to drainSocket', async () => {
    let release: () => void = () => undefined;
    const replied = new Promise<void>((resolve) => (release = resolve));
    const events: string[] = [];
    const server = createNetServer((socket) => {
      socket.on('data', (chunk) => {
        tracker.busy(socket);
        void replied.then(() => {
          socket.write(`echo ${chunk.toString('utf8')}`);
          events.push('replied');
          tracker.idle(socket);
        });
      });
    });
    const tracker = trackConnections(server);
    await listening(server);
    const socket = connect({ host: '127.0.0.1', port: (server.address() as AddressInfo).port });
    await once(socket, 'connect');
    let received = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
    socket.write('1');
    await vi.waitFor(() => {
      expect(tracker.activeRequests).toBe(1);
    });
    const drained = tracker.drain({
      idleGraceMs: 0,
      drainSocket: (s) => {
        events.push('drainSocket');
        s.end('bye');
      },
    });
    // Busy: not handed over while its reply is in flight.
    expect(events).toEqual([]);
    release();
    await drained;
    expect(events).toEqual(['replied', 'drainSocket']);
    expect(received).toBe('echo 1bye');
    expect(tracker.activeRequests).toBe(0);
  });

  it('busy/idle without drainSocket: an idle managed connection is ended after idleGraceMs, a new request meanwhile is answered', async () => {
    const server = createNetServer((socket) => {
      socket.on('data', (chunk) => {
        tracker.busy(socket);
        socket.write(`echo ${chunk.toString('utf8')}`);
        tracker.idle(socket);
      });
    });
    const tracker = trackConnections(server);
    await listening(server);
    const socket = connect({ host: '127.0.0.1', port: (server.address() as AddressInfo).port });
    await once(socket, 'connect');
    let received = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
    socket.write('1');
    await vi.waitFor(() => {
      expect(received).toBe('echo 1');
    });
    const ended = once(socket, 'end');
    const drained = tracker.drain({ idleGraceMs: 200 });
    socket.write('2');
    await vi.waitFor(() => {
      expect(received).toBe('echo 1echo 2');
    });
    await ended;
    socket.end();
    await drained;
  });

  it('without drainSocket, only connections the app marks busy/idle are ended; others wait for the deadline', async () => {
    const server = createNetServer((socket) => {
      socket.on('data', () => {
        tracker.busy(socket);
        tracker.idle(socket);
      });
    });
    const tracker = trackConnections(server);
    await listening(server);
    const port = (server.address() as AddressInfo).port;
    const managed = connect({ host: '127.0.0.1', port });
    const unmanaged = connect({ host: '127.0.0.1', port });
    unmanaged.on('error', () => undefined);
    await Promise.all([once(managed, 'connect'), once(unmanaged, 'connect')]);
    managed.write('x');
    await vi.waitFor(() => {
      expect(tracker.connections).toBe(2);
    });
    let unmanagedEnded = false;
    unmanaged.once('end', () => (unmanagedEnded = true));
    const controller = new AbortController();
    const drained = tracker.drain({ idleGraceMs: 0, signal: controller.signal });
    await once(managed, 'end');
    managed.end();
    await vi.waitFor(() => {
      expect(tracker.connections).toBe(1);
    });
    expect(unmanagedEnded).toBe(false);
    controller.abort();
    await drained;
    expect(tracker.connections).toBe(0);
  });

  it('idle() on a socket that is not busy, or unknown, changes nothing', async () => {
    const server = createNetServer();
    const tracker = trackConnections(server);
    const stranger = new (await import('node:net')).Socket();
    tracker.idle(stranger);
    expect(tracker.activeRequests).toBe(0);
    tracker.dispose();
  });
});

describe('trackConnections (one tracker per server)', () => {
  it('returns the same tracker for the same server until it is disposed', () => {
    const server = createNetServer();
    const tracker = trackConnections(server);
    expect(trackConnections(server)).toBe(tracker);
    tracker.dispose();
    expect(trackConnections(server)).not.toBe(tracker);
    trackConnections(server).dispose();
  });
});
