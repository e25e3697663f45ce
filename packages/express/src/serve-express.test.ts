import { Agent, request } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import express from 'express';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ServeHandle } from '@einhorn/net';
import { createHealthHandler, exposeWorkerInfo, getWorkerInfo, serveExpress } from './index.ts';
import type { WorkerInfo } from './index.ts';

interface Reply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

function get(port: number, path: string, agent?: Agent): Promise<Reply> {
  return new Promise((resolve, reject) => {
    // Without an agent: a fresh connection that the server closes after the response.
    const req = request({ host: '127.0.0.1', port, path, agent: agent ?? false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

function portOf(handle: ServeHandle<Server>): number {
  return (handle.server.address() as { port: number }).port;
}

async function failure(promise: Promise<unknown>): Promise<Error & { code?: string }> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error as Error & { code?: string },
  );
}

// Not under Einhorn: serve on a free local port, never exit the test process.
const devMode = {
  env: {},
  fallback: { port: 0, host: '127.0.0.1' },
  exit: false,
} as const;
const handles: ServeHandle<Server>[] = [];
const agents: Agent[] = [];

async function start(app: Parameters<typeof serveExpress>[0]): Promise<ServeHandle<Server>> {
  const handle = await serveExpress(app, devMode);
  handles.push(handle);
  return handle;
}

afterEach(async () => {
  for (const agent of agents.splice(0)) agent.destroy();
  await Promise.all(handles.splice(0).map((handle) => handle.close()));
});

describe('serveExpress', () => {
  it('serves an Express app on the fallback port outside Einhorn, ACKing nothing', async () => {
    const app = express();
    app.get('/', (_req, res) => {
      res.send(`hello from ${process.pid}`);
    });
    const handle = await start(app);
    expect(handle.context).toBeUndefined();
    expect(handle.state).toBe('serving');
    await expect(handle.ack()).resolves.toBeUndefined();
    expect(await get(portOf(handle), '/')).toMatchObject({
      status: 200,
      body: `hello from ${process.pid}`,
    });
  });

  it('accepts a plain node:http request listener', async () => {
    const handle = await start((_req, res) => {
      res.end('plain');
    });
    expect((await get(portOf(handle), '/')).body).toBe('plain');
  });

  it('passes serverOptions to http.createServer', async () => {
    const handle = await serveExpress((_req, res) => res.end(), {
      ...devMode,
      serverOptions: { requestTimeout: 1234 },
    });
    handles.push(handle);
    expect(handle.server.requestTimeout).toBe(1234);
  });

  it('rejects (never throws) ERR_EINHORN_INVALID_OPTIONS when app is not a function', async () => {
    let promise: Promise<unknown> | undefined;
    expect(() => {
      promise = serveExpress({} as never, devMode);
    }).not.toThrow();
    const error = await failure(promise!);
    expect(error.code).toBe('ERR_EINHORN_INVALID_OPTIONS');
    expect(error.message).toContain('serveExpress() arguments to have app as a function');
    expect(error.cause).toBeInstanceOf(TypeError);
  });

  it('rejects ERR_EINHORN_INVALID_OPTIONS for malformed serverOptions and for serve() options', async () => {
    expect(
      (await failure(serveExpress(express(), { ...devMode, serverOptions: 7 as never }))).code,
    ).toBe('ERR_EINHORN_INVALID_OPTIONS');
    expect(
      (await failure(serveExpress(express(), { ...devMode, ack: 'later' as never }))).code,
    ).toBe('ERR_EINHORN_INVALID_OPTIONS');
  });

  it('rejects with ERR_EINHORN_ENV_MISSING outside Einhorn without a fallback', async () => {
    expect((await failure(serveExpress(express(), { env: {}, exit: false }))).code).toBe(
      'ERR_EINHORN_ENV_MISSING',
    );
  });

  it('check 30: does not fall back for a process whose EINHORN_MASTER_PID is not its parent', async () => {
    const env = {
      EINHORN_MASTER_PID: '1',
      EINHORN_FD_COUNT: '0',
      EINHORN_SOCK_PATH: '/nonexistent',
    };
    expect((await failure(serveExpress(express(), { ...devMode, env }))).code).toBe(
      'ERR_EINHORN_MASTER_PID_MISMATCH',
    );
  });
});

describe('worker identity', () => {
  it('getWorkerInfo(req) tells handlers who serves them', async () => {
    const seen: WorkerInfo[] = [];
    const app = express();
    app.get('/', (req, res) => {
      seen.push(getWorkerInfo(req));
      res.end();
    });
    const handle = await start(app);
    await get(portOf(handle), '/');
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      pid: process.pid,
      childIndex: undefined,
      context: undefined,
      isDraining: false,
    });
  });

  it('exposeWorkerInfo() puts the info in res.locals.einhorn, or under a chosen key', async () => {
    const app = express();
    app.use(exposeWorkerInfo());
    app.use(exposeWorkerInfo({ key: 'worker' }));
    app.get('/', (_req, res) => {
      const locals = res.locals as { einhorn: WorkerInfo; worker: WorkerInfo };
      res.json({
        pid: locals.einhorn.pid,
        same: locals.einhorn === locals.worker,
      });
    });
    const handle = await start(app);
    expect(JSON.parse((await get(portOf(handle), '/')).body)).toEqual({
      pid: process.pid,
      same: true,
    });
  });

  it('exposeWorkerInfo() throws ERR_EINHORN_INVALID_OPTIONS at setup for an empty key', () => {
    expect(() => exposeWorkerInfo({ key: '' })).toThrow(
      expect.objectContaining({ code: 'ERR_EINHORN_INVALID_OPTIONS' }),
    );
  });

  it('getWorkerInfo() answers for requests that serveExpress() did not accept, from the process', async () => {
    let info: WorkerInfo | undefined;
    const app = express();
    app.get('/', (req, res) => {
      info = getWorkerInfo(req);
      res.end();
    });
    const { createServer } = await import('node:http');
    const server = createServer(app).listen(0, '127.0.0.1');
    await vi.waitFor(() => {
      expect(server.listening).toBe(true);
    });
    try {
      await get((server.address() as { port: number }).port, '/');
    } finally {
      server.close();
    }
    expect(info).toMatchObject({ pid: process.pid, isDraining: false });
  });
});

describe('draining', () => {
  it('turns health and isDraining on, and answers kept-alive clients with Connection: close', async () => {
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const app = express();
    app.get('/healthz', createHealthHandler());
    app.get('/info', (req, res) => res.json({ draining: getWorkerInfo(req).isDraining }));
    app.get('/slow', (_req, res) => {
      void released.then(() => res.send('done'));
    });
    const handle = await serveExpress(app, { ...devMode, idleGraceMs: 30_000 });
    const port = portOf(handle);
    const busy = new Agent({ keepAlive: true, maxSockets: 1 });
    const idle = new Agent({ keepAlive: true, maxSockets: 1 });
    const prober = new Agent({ keepAlive: true, maxSockets: 1 });
    agents.push(busy, idle, prober);
    expect(await get(port, '/healthz', prober)).toMatchObject({
      status: 200,
      body: `{"status":"ok","pid":${process.pid}}`,
    });
    expect(JSON.parse((await get(port, '/info', idle)).body)).toEqual({
      draining: false,
    });

    const slow = get(port, '/slow', busy);
    await vi.waitFor(() => {
      expect(handle.connections.activeRequests).toBe(1);
    });
    const closed = handle.close();
    expect(handle.isDraining).toBe(true);

    const info = await get(port, '/info', idle);
    expect(JSON.parse(info.body)).toEqual({ draining: true });
    expect(info.headers.connection).toBe('close');
    const health = await get(port, '/healthz', prober);
    expect(health).toMatchObject({
      status: 503,
      body: `{"status":"draining","pid":${process.pid}}`,
    });
    expect(health.headers.connection).toBe('close');

    release();
    const reply = await slow;
    expect(reply).toMatchObject({ status: 200, body: 'done' });
    expect(reply.headers.connection).toBe('close');
    await closed;
    expect(handle.state).toBe('closed');
  });
});
