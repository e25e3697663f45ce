// @einhorn/fastify under a real (fake) master: real inherited fds, a real command socket and real
// signals. The lifecycle checks every adapter shares are in fastify.conformance.test.ts; these
// are the plugin's own: the decorator, the health route, manual ack, onClose, single adoption.
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeMaster } from '../helpers/fake-master.ts';
import type {
  FakeMaster,
  FakeWorker,
  HeldListener,
  SpawnWorkerOptions,
} from '../helpers/fake-master.ts';
import { lines, payload } from '../helpers/fixture-paths.ts';
import { HttpConnection, httpGet } from '../helpers/http-client.ts';

const FIXTURE = fileURLToPath(new URL('../fixtures/fastify.mjs', import.meta.url));
const EXTRAS = { EINHORN_FIXTURE_EXTRAS: '1' };
const CLOSED = /^einhorn-fixture:closed /;
const LISTEN_CALL = 'einhorn-fixture:listen-call ';
const SERVER_ERROR = 'einhorn-fixture:server-error ';

let master: FakeMaster | undefined;

afterEach(async () => {
  await master?.close();
  master = undefined;
});

async function start(
  options: SpawnWorkerOptions = {},
): Promise<{ master: FakeMaster; worker: FakeWorker; listener: HeldListener }> {
  const started = await startFakeMaster();
  master = started;
  const worker = await started.spawnWorker(FIXTURE, {
    ...options,
    env: { ...EXTRAS, ...options.env },
  });
  await worker.waitForLine(lines.listening);
  const [listener] = started.listeners;
  if (listener === undefined) throw new Error('the fake master has no listener');
  return { master: started, worker, listener };
}

function ackCount(fake: FakeMaster, pid: number): number {
  return fake.commands.filter(
    (record) =>
      record.request.kind === 'command' &&
      record.request.command.command === 'worker:ack' &&
      record.request.command.pid === pid,
  ).length;
}

describe('@einhorn/fastify under a master', () => {
  it('app.einhorn carries the worker context the master passed (pid, child index, master pid)', async () => {
    const { master, worker, listener } = await start();
    const response = await httpGet(listener, '/einhorn');
    expect(JSON.parse(response.body)).toEqual({
      pid: worker.pid,
      childIndex: worker.childIndex,
      masterPid: master.pid,
      isDraining: false,
    });
    expect(payload(await worker.waitForLine(lines.listening))).toMatchObject({
      pid: worker.pid,
      childIndex: worker.childIndex,
    });
  });

  it('adopts the inherited fd with a single listen call: no second localhost binding, no swallowed EEXIST', async () => {
    const { worker, listener } = await start();
    await worker.awaitAck();
    expect((await httpGet(listener, '/')).status).toBe(200);
    const calls = worker.output.lines
      .filter((line) => line.startsWith(LISTEN_CALL))
      .map((line) => payload(line)['options']);
    expect(calls).toEqual([{ fd: 3 }]);
    expect(worker.output.lines.filter((line) => line.startsWith(SERVER_ERROR))).toEqual([]);
  });

  it('check 32: the health route answers 503 with Connection: close once SIGUSR2 starts the drain, then onClose runs and the worker exits 0', async () => {
    const { worker, listener } = await start();
    const prober = await HttpConnection.open(listener);
    const healthy = await prober.get('/healthz');
    expect(healthy.status).toBe(200);
    expect(JSON.parse(healthy.body)).toEqual({
      status: 'ok',
      pid: worker.pid,
      childIndex: worker.childIndex,
    });

    const busy = await HttpConnection.open(listener);
    const held = busy.get('/slow?ms=300&after=drain');
    await worker.waitForLine(lines.request);
    worker.signal('SIGUSR2');
    await worker.waitForLine(lines.draining);

    const draining = await prober.get('/healthz');
    expect(draining.status).toBe(503);
    expect(draining.headers['connection']).toBe('close');
    expect(JSON.parse(draining.body)).toEqual({
      status: 'draining',
      pid: worker.pid,
      childIndex: worker.childIndex,
    });
    expect((await prober.ended).clean).toBe(true);

    expect((await held).status).toBe(200);
    await worker.waitForLine(CLOSED);
    expect(await worker.exited).toEqual({ code: 0, signal: null });
  });

  it('with ack: manual it serves without acking until app.einhorn.ack() is called, and acks once', async () => {
    const { master, worker, listener } = await start({
      env: { EINHORN_FIXTURE_ACK: 'manual' },
    });
    expect(JSON.parse((await httpGet(listener, '/')).body)).toEqual({
      pid: worker.pid,
    });
    await master.barrier();
    expect(ackCount(master, worker.pid)).toBe(0);
    expect(JSON.parse((await httpGet(listener, '/ack')).body)).toEqual({
      acked: true,
    });
    const ack = await worker.awaitAck();
    expect(JSON.parse(ack.line)).toEqual({
      command: 'worker:ack',
      pid: worker.pid,
    });
    expect((await httpGet(listener, '/ack')).status).toBe(200);
    await master.barrier();
    expect(ackCount(master, worker.pid)).toBe(1);
  });
});
