// NestJS under a real (fake) master: real inherited fds, a real command socket and real signals.
// The lifecycle checks every adapter shares are in nestjs-*.conformance.test.ts; these are Nest's
// own: its shutdown hooks run from app.close() in serve()'s afterDrain, so after the last
// in-flight request has been answered; with the pitfall the guide warns about
// (app.enableShutdownHooks()) they run while a request is still in flight.
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeMaster } from '../helpers/fake-master.ts';
import type { FakeMaster, FakeWorker, HeldListener } from '../helpers/fake-master.ts';
import { lines, payload } from '../helpers/fixture-paths.ts';
import { HttpConnection } from '../helpers/http-client.ts';

const fixtureOf = (platform: string): string =>
  fileURLToPath(new URL(`../fixtures/nestjs-${platform}.mjs`, import.meta.url));

let master: FakeMaster | undefined;

afterEach(async () => {
  await master?.close();
  master = undefined;
});

async function start(
  platform: string,
  env: Record<string, string> = {},
): Promise<{ worker: FakeWorker; listener: HeldListener }> {
  const started = await startFakeMaster();
  master = started;
  const worker = await started.spawnWorker(fixtureOf(platform), { env });
  expect(payload(await worker.waitForLine(lines.listening))['platform']).toBe(platform);
  const [listener] = started.listeners;
  if (listener === undefined) throw new Error('the fake master has no listener');
  return { worker, listener };
}

/** The fixture's lifecycle lines in the order the worker printed them, as short names. */
function lifecycle(worker: FakeWorker): string[] {
  return worker.output.lines.flatMap((line) => {
    if (!line.startsWith('einhorn-fixture:')) return [];
    const event = line.slice('einhorn-fixture:'.length, line.indexOf(' '));
    if (event === 'hook') return [String(payload(line)['name'])];
    return ['request', 'draining', 'finished'].includes(event) ? [event] : [];
  });
}

describe.each(['express', 'fastify'])('NestJS (%s platform) under a master', (platform) => {
  it('runs the shutdown hooks after the last in-flight request finished: finished → onModuleDestroy → beforeApplicationShutdown → onApplicationShutdown, exit 0', async () => {
    const { worker, listener } = await start(platform);
    const connection = await HttpConnection.open(listener);
    const response = connection.get('/slow?ms=100&after=drain');
    await worker.waitForLine(lines.request);
    worker.signal('SIGUSR2');
    const answered = await response;
    expect(answered.status).toBe(200);
    expect(answered.headers['connection']).toBe('close');
    expect(JSON.parse(answered.body)).toEqual({ pid: worker.pid });
    expect(await worker.exited).toEqual({ code: 0, signal: null });
    expect(lifecycle(worker)).toEqual([
      'request',
      'draining',
      'finished',
      'onModuleDestroy',
      'beforeApplicationShutdown',
      'onApplicationShutdown',
    ]);
  });

  it('control: with app.enableShutdownHooks() Nest runs onModuleDestroy while the request is still in flight', async () => {
    const { worker, listener } = await start(platform, {
      EINHORN_FIXTURE_NEST_SHUTDOWN_HOOKS: '1',
    });
    const connection = await HttpConnection.open(listener);
    let settled = false;
    const response = connection.get('/slow?ms=600000&after=drain').then(
      () => 'answered',
      () => 'reset',
    );
    void response.finally(() => {
      settled = true;
    });
    await worker.waitForLine(lines.request);
    worker.signal('SIGUSR2');
    // Nest's own SIGUSR2 handler calls app.close() at once: its hooks do not wait for the drain
    // (under the recipe this line would only come after the deadline destroyed the request).
    await worker.waitForLine(/^einhorn-fixture:hook \{"name":"onModuleDestroy"/);
    expect(settled).toBe(false);
    expect(lifecycle(worker)).not.toContain('finished');
    worker.signal('SIGUSR2'); // the second signal ends the worker at once
    expect(await worker.exited).toEqual({ code: 4, signal: null });
    expect(await response).toBe('reset');
  });
});
