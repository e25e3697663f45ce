import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { createServer, request } from 'node:http';
import type { IncomingMessage, RequestListener, Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
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

beforeEach(() => {
  Reflect.deleteProperty(globalThis, WORKER_STATE);
  Reflect.deleteProperty(globalThis, NET_STATE);
});
afterEach(async () => {
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

  it('uses the isDraining option when given', () => {
    const res = { statusCode: 0, setHeader: vi.fn(), end: vi.fn() };
    createHealthHandler({ isDraining: () => true })(undefined as never, res as never);
    expect(res.statusCode).toBe(503);
  });
});
