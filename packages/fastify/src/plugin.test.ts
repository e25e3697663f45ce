import { Agent } from 'node:http';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { get, workerEnv } from './http.test-helpers.ts';
import { listenEinhorn } from './listen.ts';
import { fastifyEinhorn } from './plugin.ts';

const apps: FastifyInstance[] = [];
const agents: Agent[] = [];

function build(): FastifyInstance {
  const app = Fastify();
  apps.push(app);
  return app;
}

afterEach(async () => {
  for (const agent of agents.splice(0)) agent.destroy();
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

describe('fastifyEinhorn plugin', () => {
  it('is a fastify-plugin named @einhorn/fastify that decorates the root instance', async () => {
    const app = build();
    await app.register(fastifyEinhorn, { env: {} });
    expect(app.hasPlugin('@einhorn/fastify')).toBe(true);
    expect(app.hasDecorator('einhorn')).toBe(true);
    expect(app.einhorn.context).toBeUndefined();
    expect(app.einhorn.isDraining).toBe(false);
    await expect(app.einhorn.ack()).resolves.toBeUndefined();
  });

  it('refuses a second registration on the same instance with a clear error', async () => {
    const app = build();
    await app.register(fastifyEinhorn, { env: {} });
    const error = await app.register(fastifyEinhorn, { env: {} }).then(
      () => undefined,
      (err: unknown) => err as Error & { code?: string },
    );
    expect(error?.code).toBe('ERR_EINHORN_INVALID_OPTIONS');
    expect(error?.message).toMatch(/^@einhorn\/fastify: expected the plugin to be registered once/);
  });

  it('exposes the worker context when the environment names this process as the worker', async () => {
    const app = build();
    await app.register(fastifyEinhorn, { env: workerEnv(), exit: false });
    expect(app.einhorn.context).toMatchObject({
      pid: process.pid,
      masterPid: process.ppid,
      childIndex: 3,
      fds: [],
    });
  });

  it('treats a grandchild (EINHORN_MASTER_PID is not the parent) as not a worker (check 30)', async () => {
    const app = build();
    await app.register(fastifyEinhorn, {
      env: workerEnv({ EINHORN_MASTER_PID: '1' }),
    });
    expect(app.einhorn.context).toBeUndefined();
  });

  it.each([
    [{ ack: 'later' }, 'ack'],
    [{ timeoutMs: 0 }, 'timeoutMs'],
    [{ idleGraceMs: -1 }, 'idleGraceMs'],
    [{ healthPath: 'healthz' }, 'healthPath'],
    [{ afterDrain: 'later' }, 'afterDrain'],
    [{ fallback: { port: 0 } }, 'fallback'],
  ])('rejects bad options %j with ERR_EINHORN_INVALID_OPTIONS naming %s', async (options, name) => {
    const app = build();
    const registered = app.register(fastifyEinhorn, options as never);
    const error = await registered.then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toMatchObject({ code: 'ERR_EINHORN_INVALID_OPTIONS' });
    expect((error as Error).message).toMatch(/^Expected @einhorn\/fastify plugin options /);
    expect((error as Error).message).toContain(name);
    expect((error as Error).cause).toBeDefined();
  });

  it('answers the health route with 200 and the worker identity while serving', async () => {
    const app = build();
    await app.register(fastifyEinhorn, {
      env: workerEnv(),
      exit: false,
      healthPath: '/healthz',
    });
    const res = await app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      status: 'ok',
      pid: process.pid,
      childIndex: 3,
    });
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('omits childIndex from the health body outside Einhorn and adds no route without healthPath', async () => {
    const app = build();
    await app.register(fastifyEinhorn, { env: {}, healthPath: '/ready' });
    expect((await app.inject({ url: '/ready' })).json()).toEqual({
      status: 'ok',
      pid: process.pid,
    });
    const bare = build();
    await bare.register(fastifyEinhorn, { env: {} });
    expect((await bare.inject({ url: '/ready' })).statusCode).toBe(404);
  });

  it('drains on a user-initiated app.close() instead of resetting an idle keep-alive connection', async () => {
    const app = build();
    await app.register(fastifyEinhorn, { env: {}, idleGraceMs: 30_000, exit: false });
    app.get('/', () => 'hello');
    await listenEinhorn(app, { fallback: { port: 0, host: '127.0.0.1' } });
    const { port } = app.server.address() as { port: number };
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    agents.push(agent);
    await get(port, '/', agent);
    // The agent parks the socket once the response has ended.
    await vi.waitFor(() => {
      expect(Object.values(agent.freeSockets).flat()).toHaveLength(1);
    });
    const [socket] = Object.values(agent.freeSockets).flat();
    const closing = app.close();
    await vi.waitFor(() => {
      expect(app.einhorn.isDraining).toBe(true);
    });
    expect(socket?.destroyed).toBe(false);
    // Fastify is closing (return503OnClosing), but the request gets an answer, not a reset.
    const reply = await get(port, '/', agent);
    expect(reply.status).toBe(503);
    expect(reply.headers.connection).toBe('close');
    await closing;
  });

  it('drains through serve(): handlers for SIGUSR2, SIGTERM and SIGINT from listenEinhorn() on, removed by app.close()', async () => {
    const signals = ['SIGUSR2', 'SIGTERM', 'SIGINT'] as const;
    const before = signals.map((signal) => process.listenerCount(signal));
    const app = build();
    await app.register(fastifyEinhorn, { env: {}, exit: false });
    expect(signals.map((signal) => process.listenerCount(signal))).toEqual(before);
    await listenEinhorn(app, { fallback: { port: 0, host: '127.0.0.1' } });
    expect(signals.map((signal) => process.listenerCount(signal))).toEqual(
      before.map((count) => count + 1),
    );
    await app.close();
    expect(signals.map((signal) => process.listenerCount(signal))).toEqual(before);
  });

  it('listens for the configured signals only, also outside Einhorn', async () => {
    const before = {
      usr2: process.listenerCount('SIGUSR2'),
      term: process.listenerCount('SIGTERM'),
    };
    const app = build();
    await app.register(fastifyEinhorn, { env: {}, signals: ['SIGTERM'], exit: false });
    await listenEinhorn(app, { fallback: { port: 0, host: '127.0.0.1' } });
    expect(process.listenerCount('SIGTERM')).toBe(before.term + 1);
    expect(process.listenerCount('SIGUSR2')).toBe(before.usr2);
    await app.close();
    expect(process.listenerCount('SIGTERM')).toBe(before.term);
  });

  it('refuses bad signals when it starts serving, with ERR_EINHORN_INVALID_OPTIONS', async () => {
    const app = build();
    await app.register(fastifyEinhorn, { env: {}, signals: [], exit: false });
    await expect(
      listenEinhorn(app, { fallback: { port: 0, host: '127.0.0.1' } }),
    ).rejects.toMatchObject({ code: 'ERR_EINHORN_INVALID_OPTIONS' });
    await app.close();
  });
});
