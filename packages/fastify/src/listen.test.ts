import { closeSync, openSync } from 'node:fs';
import { Agent } from 'node:http';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { get, workerEnv } from './http.test-helpers.ts';
import { listenEinhorn } from './listen.ts';
import { fastifyEinhorn } from './plugin.ts';

const apps: FastifyInstance[] = [];
const cleanups: (() => void)[] = [];

function build(): FastifyInstance {
  const app = Fastify();
  apps.push(app);
  return app;
}

async function failure(
  promise: Promise<unknown>,
): Promise<Error & { code?: string; details?: unknown }> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error as Error & { code?: string },
  );
}

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

describe('listenEinhorn', () => {
  it('rejects with ERR_EINHORN_INVALID_OPTIONS when the plugin is not registered', async () => {
    const error = await failure(listenEinhorn(build()));
    expect(error.code).toBe('ERR_EINHORN_INVALID_OPTIONS');
    expect(error.message).toMatch(/^@einhorn\/fastify: expected the fastifyEinhorn plugin/);
  });

  it('waits for a registration that was not awaited', async () => {
    const app = build();
    void app.register(fastifyEinhorn, { env: {} });
    const address = await listenEinhorn(app, {
      fallback: { port: 0, host: '127.0.0.1' },
    });
    expect(address).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('listens on the fallback outside Einhorn and serves requests', async () => {
    const app = build();
    await app.register(fastifyEinhorn, { env: {} });
    app.get('/', () => `pid ${process.pid}`);
    const address = await listenEinhorn(app, {
      fallback: { port: 0, host: '127.0.0.1' },
    });
    const agent = new Agent();
    cleanups.push(() => {
      agent.destroy();
    });
    const reply = await get(Number(new URL(address).port), '/', agent);
    expect(reply).toMatchObject({ status: 200, body: `pid ${process.pid}` });
  });

  it('rejects with ERR_EINHORN_ENV_MISSING outside Einhorn without a fallback', async () => {
    const app = build();
    await app.register(fastifyEinhorn, { env: {} });
    expect((await failure(listenEinhorn(app))).code).toBe('ERR_EINHORN_ENV_MISSING');
    expect(app.server.listening).toBe(false);
  });

  it('check 30: never falls back for a process that has Einhorn variables but is not the worker', async () => {
    const app = build();
    await app.register(fastifyEinhorn, {
      env: workerEnv({ EINHORN_MASTER_PID: '1' }),
    });
    const error = await failure(listenEinhorn(app, { fallback: { port: 0 } }));
    expect(error.code).toBe('ERR_EINHORN_MASTER_PID_MISMATCH');
    expect(app.server.listening).toBe(false);
  });

  it('rejects with ERR_EINHORN_FD_OUT_OF_RANGE for an index the master did not pass', async () => {
    const app = build();
    await app.register(fastifyEinhorn, { env: workerEnv(), exit: false });
    const error = await failure(listenEinhorn(app, { index: 0 }));
    expect(error.code).toBe('ERR_EINHORN_FD_OUT_OF_RANGE');
    expect(error.details).toEqual({ index: 0, count: 0 });
    expect(app.server.listening).toBe(false);
  });

  it('rejects with ERR_EINHORN_FD_INVALID when the fd is not a socket, and for a closed fd', async () => {
    const fd = openSync(import.meta.filename, 'r');
    cleanups.push(() => {
      closeSync(fd);
    });
    const app = build();
    await app.register(fastifyEinhorn, {
      env: workerEnv({
        EINHORN_FD_COUNT: '2',
        EINHORN_FD_0: String(fd),
        EINHORN_FD_1: '1023',
      }),
      exit: false,
    });
    const notSocket = await failure(listenEinhorn(app));
    expect(notSocket.code).toBe('ERR_EINHORN_FD_INVALID');
    expect(notSocket.details).toMatchObject({ fd, index: 0 });
    const closed = await failure(listenEinhorn(app, { index: 1 }));
    expect(closed.code).toBe('ERR_EINHORN_FD_INVALID');
    expect(closed.details).toMatchObject({
      fd: 1023,
      index: 1,
      found: 'closed',
    });
    expect(app.server.listening).toBe(false);
  });

  it.each<[object]>([
    [{ index: -1 }],
    [{ index: 1.5 }],
    [{ backlog: 0 }],
    [{ backlog: 'kernel' }],
    [{ fallback: { port: 70_000 } }],
    [{ fallback: { port: 0, host: '' } }],
  ])(
    'rejects bad options %j with ERR_EINHORN_INVALID_OPTIONS before touching the app',
    async (options) => {
      const app = build();
      await app.register(fastifyEinhorn, { env: {} });
      const error = await failure(listenEinhorn(app, options));
      expect(error.code).toBe('ERR_EINHORN_INVALID_OPTIONS');
      expect(error.message).toMatch(
        /^Expected (@einhorn\/fastify listenEinhorn|serve)\(\) options /,
      );
      expect(app.server.listening).toBe(false);
    },
  );

  it('wraps a failing fallback listen in ERR_EINHORN_FD_LISTEN_FAILED with the errno as cause', async () => {
    const first = build();
    await first.register(fastifyEinhorn, { env: {} });
    const address = await listenEinhorn(first, {
      fallback: { port: 0, host: '127.0.0.1' },
    });
    const second = build();
    await second.register(fastifyEinhorn, { env: {} });
    const error = await failure(
      listenEinhorn(second, {
        fallback: { port: Number(new URL(address).port), host: '127.0.0.1' },
      }),
    );
    expect(error.code).toBe('ERR_EINHORN_FD_LISTEN_FAILED');
    expect((error.cause as NodeJS.ErrnoException).code).toBe('EADDRINUSE');
  });
});
