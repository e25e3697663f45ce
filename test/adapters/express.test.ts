// @einhorn/express under a real (fake) master: real inherited fds, a real command socket and real
// signals. The lifecycle checks every adapter shares are in express.conformance.test.ts; these
// are Express's own additions: worker identity for handlers and the readiness handler.
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeMaster } from '../helpers/fake-master.ts';
import type { FakeMaster, FakeWorker, HeldListener } from '../helpers/fake-master.ts';
import { lines } from '../helpers/fixture-paths.ts';
import { HttpConnection, httpGet } from '../helpers/http-client.ts';

const FIXTURE = fileURLToPath(new URL('../fixtures/express.mjs', import.meta.url));

let master: FakeMaster | undefined;

afterEach(async () => {
  await master?.close();
  master = undefined;
});

async function start(): Promise<{
  master: FakeMaster;
  worker: FakeWorker;
  listener: HeldListener;
}> {
  const started = await startFakeMaster();
  master = started;
  const worker = await started.spawnWorker(FIXTURE, {
    env: { EINHORN_FIXTURE_EXTRAS: '1' },
  });
  await worker.waitForLine(lines.listening);
  const [listener] = started.listeners;
  if (listener === undefined) throw new Error('the fake master has no listener');
  return { master: started, worker, listener };
}

describe('@einhorn/express under a master', () => {
  it('runs the Express major under test (5 by default, 4 in the Express 4 leg)', async () => {
    const { worker } = await start();
    const line = await worker.waitForLine(lines.listening);
    const report = JSON.parse(line.slice(line.indexOf(' ') + 1)) as { expressVersion: string };
    const expected = process.env['EINHORN_TEST_EXPRESS_MAJOR'] ?? '5';
    expect(report.expressVersion.split('.')[0]).toBe(expected);
  });

  it('getWorkerInfo(req) and res.locals.einhorn name the worker the master spawned', async () => {
    const { master, worker, listener } = await start();
    const info = JSON.parse((await httpGet(listener, '/info')).body) as unknown;
    expect(info).toEqual({
      pid: worker.pid,
      childIndex: worker.childIndex,
      masterPid: master.pid,
      isDraining: false,
      localsMatch: true,
    });
  });

  it('check 32: once SIGUSR2 starts the drain, health answers 503 and handlers see isDraining on kept-alive connections', async () => {
    const { worker, listener } = await start();
    const prober = await HttpConnection.open(listener);
    const client = await HttpConnection.open(listener);
    expect((await prober.get('/healthz')).status).toBe(200);
    expect(JSON.parse((await client.get('/info')).body)).toMatchObject({
      isDraining: false,
    });

    const busy = await HttpConnection.open(listener);
    const held = busy.get('/slow?ms=300&after=drain');
    await worker.waitForLine(lines.request);
    worker.signal('SIGUSR2');
    await worker.waitForLine(lines.draining);

    const health = await prober.get('/healthz');
    expect(health.status).toBe(503);
    expect(health.headers['connection']).toBe('close');
    expect(JSON.parse(health.body)).toEqual({
      status: 'draining',
      pid: worker.pid,
      childIndex: worker.childIndex,
    });

    const info = await client.get('/info');
    expect(JSON.parse(info.body)).toMatchObject({
      pid: worker.pid,
      isDraining: true,
    });
    expect(info.headers['connection']).toBe('close');

    expect((await held).status).toBe(200);
    expect(await worker.exited).toEqual({ code: 0, signal: null });
  });
});
