import { Agent } from 'node:http';
import Fastify from 'fastify';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { get } from './http.test-helpers.ts';
import { listenEinhorn } from './listen.ts';
import { fastifyEinhorn } from './plugin.ts';

// A real SIGUSR2 starts the process-wide shutdown of @einhorn/worker, so this runs in its own
// file (its own process); `exit: false` keeps the test process alive afterwards.
const app = Fastify();
const agents: Agent[] = [];

afterAll(async () => {
  for (const agent of agents) agent.destroy();
  await app.close();
});

describe('fastifyEinhorn drain', () => {
  it('check 32: on SIGUSR2 it turns the health route to 503, answers kept-alive clients with Connection: close, then closes Fastify', async () => {
    const onClose = vi.fn();
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    await app.register(fastifyEinhorn, {
      env: {},
      exit: false,
      healthPath: '/healthz',
      idleGraceMs: 30_000,
    });
    app.get('/slow', async () => {
      await released;
      return 'done';
    });
    app.addHook('onClose', (_instance, done) => {
      onClose();
      done();
    });
    await listenEinhorn(app, { fallback: { port: 0, host: '127.0.0.1' } });
    const { port } = app.server.address() as { port: number };
    const busy = new Agent({ keepAlive: true, maxSockets: 1 });
    const idle = new Agent({ keepAlive: true, maxSockets: 1 });
    agents.push(busy, idle);
    expect((await get(port, '/healthz', idle)).headers.connection).toBe('keep-alive');

    const slow = get(port, '/slow', busy);
    await vi.waitFor(() => {
      expect(app.server.listening).toBe(true);
    });
    process.kill(process.pid, 'SIGUSR2');
    await vi.waitFor(() => {
      expect(app.einhorn.isDraining).toBe(true);
    });

    const health = await get(port, '/healthz', idle);
    expect(health.status).toBe(503);
    expect(health.headers.connection).toBe('close');
    expect(JSON.parse(health.body)).toEqual({ status: 'draining', pid: process.pid });
    expect(onClose).not.toHaveBeenCalled();

    release();
    const slowReply = await slow;
    expect(slowReply).toMatchObject({ status: 200, body: 'done' });
    expect(slowReply.headers.connection).toBe('close');
    await vi.waitFor(() => {
      expect(onClose).toHaveBeenCalledOnce();
    });
  });
});
