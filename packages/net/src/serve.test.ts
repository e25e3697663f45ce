import { execFileSync } from 'node:child_process';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { IncomingMessage, RequestListener, Server as HttpServer } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { isEinhornError } from '@einhorn/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { channels } from './diagnostics.ts';
import { createHealthHandler } from './health.ts';
import { serve } from './serve.ts';
import type { ServeHandle } from './types.ts';

// In-process serve() through the development fallback (no EINHORN_* variables), always with
// `exit: false`. Adoption, ACK and exit codes under a master run in test/adapters.
const WORKER_STATE = Symbol.for('einhorn.worker.state');
const NET_STATE = Symbol.for('einhorn.net.state');
const handles: ServeHandle<HttpServer>[] = [];
const ss = ['/usr/sbin/ss', '/sbin/ss', '/usr/bin/ss', '/bin/ss'].find((path) => existsSync(path));

beforeEach(() => {
  Reflect.deleteProperty(globalThis, WORKER_STATE);
  Reflect.deleteProperty(globalThis, NET_STATE);
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await Promise.all(handles.splice(0).map((handle) => handle.close().catch(() => undefined)));
});

function get(
  server: HttpServer,
  path: string,
): Promise<{ status: number; connection: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: (server.address() as AddressInfo).port, path, agent: false },
      (res: IncomingMessage) => {
        let body = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body });
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const ok: RequestListener = (_req, res) => {
  res.end('ok');
};

async function start(app: RequestListener = ok, options: Parameters<typeof serve>[1] = {}) {
  const handle = await serve(createServer(app), {
    env: {},
    fallback: { port: 0, host: '127.0.0.1' },
    exit: false,
    ...options,
  });
  handles.push(handle);
  return handle;
}

describe('serve() on the development fallback', () => {
  it('listens on the fallback when no EINHORN_* variable is set, with no context and a no-op ack', async () => {
    const handle = await start();
    expect(handle.context).toBeUndefined();
    expect(handle.state).toBe('serving');
    expect(handle.isDraining).toBe(false);
    await handle.ack();
    expect((await get(handle.server, '/')).body).toBe('ok');
  });

  it('without a fallback, rejects with ERR_EINHORN_ENV_MISSING and installs nothing', async () => {
    const before = process.listenerCount('SIGUSR2');
    const server = createServer();
    await expect(serve(server, { env: {} })).rejects.toMatchObject({
      code: 'ERR_EINHORN_ENV_MISSING',
    });
    expect(process.listenerCount('SIGUSR2')).toBe(before);
    expect(server.listening).toBe(false);
  });

  it('never falls back for a process that has Einhorn variables but is not the worker (check 30)', async () => {
    const env = { EINHORN_MASTER_PID: '1', EINHORN_FD_COUNT: '1', EINHORN_FD_0: '3' };
    await expect(
      serve(createServer(), { env, ppid: 2, fallback: { port: 0 } }),
    ).rejects.toMatchObject({ code: 'ERR_EINHORN_MASTER_PID_MISMATCH' });
  });

  it('awaits ready before resolving, and cleans up when it throws', async () => {
    const ready = vi.fn(() => Promise.resolve());
    await start(undefined, { ready });
    expect(ready).toHaveBeenCalledOnce();
    const before = process.listenerCount('SIGUSR2');
    const server = createServer();
    await expect(
      serve(server, {
        env: {},
        fallback: { port: 0 },
        exit: false,
        ready: () => Promise.reject(new Error('db down')),
      }),
    ).rejects.toThrow('db down');
    expect(server.listening).toBe(false);
    expect(process.listenerCount('SIGUSR2')).toBe(before);
  });

  it('close(): stops listening, answers the in-flight request with Connection: close, runs onDrain, resolves closed', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const onDrain = vi.fn();
    const handle = await start(
      (req, res) => {
        if (req.url === '/hold') void held.then(() => res.end('late'));
        else res.end('ok');
      },
      { onDrain },
    );
    const inFlight = get(handle.server, '/hold');
    await vi.waitFor(() => {
      expect(handle.connections.activeRequests).toBe(1);
    });
    const closing = handle.close();
    expect(handle.state).toBe('draining');
    expect(handle.server.listening).toBe(false);
    expect(onDrain).toHaveBeenCalledWith(expect.objectContaining({ trigger: 'close' }));
    release();
    expect(await inFlight).toMatchObject({ status: 200, connection: 'close', body: 'late' });
    await closing;
    await handle.closed;
    expect(handle.state).toBe('closed');
  });

  it('close() rejects with ERR_EINHORN_SHUTDOWN_TIMEOUT when the deadline destroys connections', async () => {
    const handle = await start(() => undefined, { timeoutMs: 30 });
    const inFlight = get(handle.server, '/never').catch((error: unknown) => error);
    await vi.waitFor(() => {
      expect(handle.connections.activeRequests).toBe(1);
    });
    const error: unknown = await handle.close().catch((e: unknown) => e);
    expect(isEinhornError(error, 'ERR_EINHORN_SHUTDOWN_TIMEOUT')).toBe(true);
    expect(await inFlight).toBeInstanceOf(Error);
    await expect(handle.closed).rejects.toBe(error);
  });

  it('drains on SIGUSR2 (a real signal) and publishes einhorn:net:drain start and done', async () => {
    const messages: unknown[] = [];
    const listener = (message: unknown): void => {
      messages.push(message);
    };
    subscribe(channels.drain, listener);
    try {
      const handle = await start();
      process.kill(process.pid, 'SIGUSR2');
      await handle.closed;
      expect(messages).toEqual([
        { phase: 'start', trigger: 'SIGUSR2', connections: 0, activeRequests: 0 },
        { phase: 'done', outcome: 'drained' },
      ]);
      expect(handle.server.listening).toBe(false);
    } finally {
      unsubscribe(channels.drain, listener);
    }
  });

  it('a fallback port in use rejects with ERR_EINHORN_FD_LISTEN_FAILED naming it, and installs nothing', async () => {
    const taken = await start();
    const port = (taken.server.address() as AddressInfo).port;
    const before = process.listenerCount('SIGUSR2');
    const server = createServer();
    const error: unknown = await serve(server, {
      env: {},
      fallback: { port, host: '127.0.0.1' },
      exit: false,
    }).catch((e: unknown) => e);
    expect(isEinhornError(error, 'ERR_EINHORN_FD_LISTEN_FAILED')).toBe(true);
    expect((error as Error).message).toBe(
      `Expected to listen on the development fallback {"port":${port},"host":"127.0.0.1"}, but it failed with EADDRINUSE; choose a free port or path.`,
    );
    expect((error as { details: unknown }).details).toEqual({ errno: 'EADDRINUSE' });
    expect(((error as Error).cause as NodeJS.ErrnoException).code).toBe('EADDRINUSE');
    expect(server.listening).toBe(false);
    expect(process.listenerCount('SIGUSR2')).toBe(before);
  });

  it.runIf(ss !== undefined)(
    'applies a numeric backlog option to the fallback listener',
    async () => {
      const handle = await start(undefined, { backlog: 7 });
      const port = (handle.server.address() as AddressInfo).port;
      const listeners = execFileSync(ss ?? 'ss', ['-l', '-t', '-n'], { encoding: 'utf8' });
      const line = listeners.split('\n').find((l) => l.includes(`127.0.0.1:${port} `));
      expect(line?.trim().split(/\s+/)[2]).toBe('7'); // State Recv-Q Send-Q: Send-Q is the backlog
    },
  );

  it('close() keeps an idle keep-alive socket for idleGraceMs, and hands upgraded sockets to drainSocket', async () => {
    const handed: unknown[] = [];
    const handle = await start(ok, {
      idleGraceMs: 60_000,
      drainSocket: (socket) => {
        handed.push(socket);
        socket.end();
      },
    });
    const upgraded: Socket[] = [];
    handle.server.on('upgrade', (_req, socket: Socket) => {
      socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\nConnection: Upgrade\r\n\r\n');
      upgraded.push(socket);
    });
    const port = (handle.server.address() as AddressInfo).port;
    // It reads, so that it sees the server's FIN and closes its side too.
    const raw = connect({ host: '127.0.0.1', port }).resume();
    await once(raw, 'connect');
    raw.write('GET / HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: x\r\n\r\n');
    const idle = connect({ host: '127.0.0.1', port }).setEncoding('utf8');
    await once(idle, 'connect');
    idle.write('GET / HTTP/1.1\r\nHost: t\r\n\r\n');
    const [first] = (await once(idle, 'data')) as [string];
    expect(first).toMatch(/\r\nConnection: keep-alive\r\n/);
    await vi.waitFor(() => {
      expect(upgraded).toHaveLength(1);
    });
    const closing = handle.close();
    // Within the (long) grace period the idle socket still carries a request, answered with close.
    idle.write('GET / HTTP/1.1\r\nHost: t\r\n\r\n');
    const [second] = (await once(idle, 'data')) as [string];
    expect(second).toMatch(/^HTTP\/1\.1 200[\s\S]*\r\nConnection: close\r\n/);
    idle.resume();
    await closing;
    expect(handed).toEqual(upgraded);
    expect(handle.connections.connections).toBe(0);
  });

  it('closed rejects with the error onDrain threw, once the connections have drained', async () => {
    const failure = new Error('flush failed');
    const handle = await start(ok, {
      onDrain: () => Promise.reject(failure),
    });
    await expect(handle.close()).rejects.toBe(failure);
    await expect(handle.closed).rejects.toBe(failure);
    expect(handle.state).toBe('closed');
  });

  it('at the signal deadline calls onTimeout and destroys what is left', async () => {
    const onTimeout = vi.fn();
    const handle = await start(() => undefined, { timeoutMs: 30, onTimeout });
    const inFlight = get(handle.server, '/never').catch((error: unknown) => error);
    await vi.waitFor(() => {
      expect(handle.connections.activeRequests).toBe(1);
    });
    process.kill(process.pid, 'SIGUSR2');
    const error: unknown = await handle.closed.catch((e: unknown) => e);
    expect(isEinhornError(error, 'ERR_EINHORN_SHUTDOWN_TIMEOUT')).toBe(true);
    expect(onTimeout).toHaveBeenCalledWith(30);
    expect(await inFlight).toBeInstanceOf(Error);
  });

  it('rejects malformed options with ERR_EINHORN_INVALID_OPTIONS before installing anything', async () => {
    const before = process.listenerCount('SIGUSR2');
    // @ts-expect-error -- invalid on purpose
    await expect(serve(createServer(), { ack: 'sometimes' })).rejects.toMatchObject({
      code: 'ERR_EINHORN_INVALID_OPTIONS',
      details: { option: 'ack' },
    });
    await expect(serve(createServer(), { fallback: { port: 70000 } })).rejects.toMatchObject({
      details: { option: 'fallback' },
    });
    await expect(serve(createServer(), { idleGraceMs: -1 })).rejects.toMatchObject({
      details: { option: 'idleGraceMs' },
    });
    await expect(
      serve(createServer(), { env: {}, fallback: { port: 0 }, signals: ['SIGUSR1'] }),
    ).rejects.toMatchObject({ code: 'ERR_EINHORN_INVALID_OPTIONS' });
    expect(process.listenerCount('SIGUSR2')).toBe(before);
  });
});

describe('createHealthHandler', () => {
  it('answers 200 ok while serving and 503 draining (Connection: close) once draining starts', async () => {
    const health = createHealthHandler();
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const handle = await start((req, res) => {
      if (req.url === '/health') health(req, res);
      else void held.then(() => res.end());
    });
    expect(await get(handle.server, '/health')).toMatchObject({
      status: 200,
      body: `{"status":"ok","pid":${process.pid}}`,
    });
    const holding = get(handle.server, '/hold');
    await vi.waitFor(() => {
      expect(handle.connections.activeRequests).toBe(1);
    });
    const closing = handle.close();
    const res = {
      statusCode: 0,
      headers: {} as Record<string, string>,
      body: '',
      setHeader(name: string, value: string) {
        this.headers[name.toLowerCase()] = value;
      },
      end(body: string) {
        this.body = body;
      },
    };
    health(undefined as never, res as never);
    expect(res).toMatchObject({
      statusCode: 503,
      body: `{"status":"draining","pid":${process.pid}}`,
      headers: { connection: 'close' },
    });
    release();
    await holding;
    await closing;
  });

  it("names the worker's child index when it runs under Einhorn", () => {
    vi.stubEnv('EINHORN_FD_COUNT', '0');
    vi.stubEnv('EINHORN_CHILD_INDEX', '2');
    vi.stubEnv('EINHORN_MASTER_PID', String(process.ppid));
    const res = { statusCode: 0, setHeader: vi.fn(), end: vi.fn() };
    createHealthHandler({ isDraining: () => false })(undefined as never, res as never);
    expect(res.statusCode).toBe(200);
    expect(res.end).toHaveBeenCalledWith(`{"status":"ok","pid":${process.pid},"childIndex":2}`);
  });

  it('uses the isDraining option when given', () => {
    const res = { statusCode: 0, setHeader: vi.fn(), end: vi.fn() };
    createHealthHandler({ isDraining: () => true })(undefined as never, res as never);
    expect(res.statusCode).toBe(503);
  });
});
