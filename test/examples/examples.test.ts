// Smoke test of the BUILT examples (examples/*/dist/server.js, compiled by `npm run build`
// against the packages' dist, as user code would be): each runs under the fake master with a
// real inherited fd, a real command socket and a real SIGUSR2, and standalone on $PORT.
import { existsSync } from 'node:fs';
import { createConnection } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startFakeMaster } from '../helpers/fake-master.ts';
import type { FakeMaster, FakeWorker, HeldListener } from '../helpers/fake-master.ts';
import { HttpConnection, httpGet, tcpListener } from '../helpers/http-client.ts';
import { keepAliveLoad } from '../helpers/load.ts';
import { baseEnv, killAllFixtures, spawnFixture } from '../helpers/spawn-fixture.ts';
import { NODE, cleanup as stopMasters, startMaster } from '../master/helpers.ts';

const serverOf = (name: string): string =>
  fileURLToPath(new URL(`../../examples/${name}/dist/server.js`, import.meta.url));
const LISTENING = /^example-[a-z-]+: pid \d+ listening on /;
const HTTP_EXAMPLES = ['http', 'express', 'fastify'] as const;

let master: FakeMaster | undefined;

afterEach(async () => {
  await master?.close();
  master = undefined;
  await killAllFixtures();
});

async function underMaster(
  name: string,
  env: Record<string, string> = {},
): Promise<{ master: FakeMaster; worker: FakeWorker; listener: HeldListener }> {
  const script = serverOf(name);
  if (!existsSync(script))
    throw new Error(
      `${script} is missing: run \`npm run build\` (turbo builds the examples) first.`,
    );
  const started = await startFakeMaster();
  master = started;
  const worker = await started.spawnWorker(script, { env });
  await worker.waitForLine(LISTENING);
  const [listener] = started.listeners;
  if (listener === undefined) throw new Error('the fake master has no listener');
  return { master: started, worker, listener };
}

/** A line-oriented client for the echo example. */
async function openEcho(
  listener: HeldListener,
): Promise<{ send(line: string): Promise<string>; ended: Promise<void> }> {
  const socket = createConnection({ host: '127.0.0.1', port: listener.port });
  await new Promise<void>((resolve, reject) =>
    socket.once('connect', resolve).once('error', reject),
  );
  const received = createInterface({ input: socket })[Symbol.asyncIterator]();
  const ended = new Promise<void>((resolve) =>
    socket.once('close', () => {
      resolve();
    }),
  );
  return {
    async send(line) {
      socket.write(`${line}\n`);
      const next = await received.next();
      if (next.done === true) throw new Error('the echo server closed the connection');
      return next.value;
    },
    ended,
  };
}

describe.each(HTTP_EXAMPLES)('example %s under the fake master', (name) => {
  it('acks with its pid, answers GET / and GET /slow, and drains an in-flight request on SIGUSR2 with exit 0', async () => {
    const { worker, listener } = await underMaster(name);
    const ack = await worker.awaitAck();
    expect(JSON.parse(ack.line)).toEqual({
      command: 'worker:ack',
      pid: worker.pid,
    });

    const hello = await httpGet(listener, '/');
    expect(hello.status).toBe(200);
    expect(hello.body).toContain(`pid ${worker.pid}`);
    const slow = await httpGet(listener, '/slow?ms=50');
    expect(slow.status).toBe(200);
    expect(slow.body).toContain(`Slept 50 ms in pid ${worker.pid}`);
    expect((await httpGet(listener, '/slow?ms=-5')).status).toBe(400);
    expect(JSON.parse((await httpGet(listener, '/healthz')).body)).toMatchObject({
      status: 'ok',
      pid: worker.pid,
    });

    // A kept-alive connection this worker has accepted, then a request on it: whether it is
    // already in flight or still in the socket buffer when SIGUSR2 arrives, it gets an answer.
    const connection = await HttpConnection.open(listener);
    expect((await connection.get('/')).status).toBe(200);
    const inFlight = connection.get('/slow?ms=300');
    worker.signal('SIGUSR2');
    const answered = await inFlight;
    expect(answered.status).toBe(200);
    expect(answered.headers['connection']).toBe('close');
    expect((await connection.ended).clean).toBe(true);
    expect(await worker.exited).toEqual({ code: 0, signal: null });
  });
});

describe('example net-echo under the fake master', () => {
  it('acks, echoes each line, and on SIGUSR2 ends the connection cleanly and exits 0', async () => {
    const { worker, listener } = await underMaster('net-echo');
    const ack = await worker.awaitAck();
    expect(JSON.parse(ack.line)).toEqual({
      command: 'worker:ack',
      pid: worker.pid,
    });
    const client = await openEcho(listener);
    expect(await client.send('hello')).toBe('hello');
    expect(await client.send('100% {"json": true}')).toBe('100% {"json": true}');
    worker.signal('SIGUSR2');
    await client.ended;
    expect(await worker.exited).toEqual({ code: 0, signal: null });
  });
});

describe.each([...HTTP_EXAMPLES, 'net-echo'])('example %s standalone', (name) => {
  it('listens on $PORT when not under Einhorn', async () => {
    const fixture = await spawnFixture(serverOf(name), {
      env: baseEnv({ PORT: '0' }),
      readyLine: LISTENING,
    });
    const line = await fixture.output.waitForLine(LISTENING);
    expect(line).toContain('(not under Einhorn)');
    const port = Number(/(?:"port":|:)(\d+)\D*$/.exec(line)?.[1]);
    expect(port).toBeGreaterThan(0);
    const listener: HeldListener = {
      kind: 'tcp',
      port,
      path: '',
      backlog: 0,
      connectOptions: { host: '127.0.0.1', port },
    };
    if (name === 'net-echo') {
      expect(await (await openEcho(listener)).send('standalone')).toBe('standalone');
    } else {
      expect((await httpGet(listener, '/')).body).toContain(`pid ${fixture.pid}`);
    }
    fixture.signal('SIGUSR2');
    expect(await fixture.exited).toEqual({ code: 0, signal: null });
  });
});

// The framework examples (Koa, Hono, NestJS on both platforms): the same smoke test as above under
// the fake master, then the real einhorn-node master with `-m manual -n 2`, upgraded while a
// keep-alive load runs: not one request may fail.
const FRAMEWORK_EXAMPLES = [
  { label: 'koa', name: 'koa', env: {}, says: ' listening on ' },
  { label: 'hono', name: 'hono', env: {}, says: ' listening on ' },
  { label: 'nestjs (express platform)', name: 'nestjs', env: {}, says: '(express platform)' },
  {
    label: 'nestjs (fastify platform)',
    name: 'nestjs',
    env: { PLATFORM: 'fastify' },
    says: '(fastify platform)',
  },
] as const;

describe.each(FRAMEWORK_EXAMPLES)('example $label under the fake master', ({ name, env, says }) => {
  it('acks with its pid, answers GET /, GET /slow and /healthz, and drains an in-flight request on SIGUSR2 with exit 0', async () => {
    const { worker, listener } = await underMaster(name, env);
    expect(await worker.waitForLine(LISTENING)).toContain(says);
    const ack = await worker.awaitAck();
    expect(JSON.parse(ack.line)).toEqual({ command: 'worker:ack', pid: worker.pid });
    const hello = await httpGet(listener, '/');
    expect(hello.status).toBe(200);
    expect(hello.body).toBe(`Hello from pid ${worker.pid} (child index 0)\n`);
    const slow = await httpGet(listener, '/slow?ms=50');
    expect(slow.status).toBe(200);
    expect(slow.body).toBe(`Slept 50 ms in pid ${worker.pid} (child index 0)\n`);
    expect((await httpGet(listener, '/slow?ms=-5')).status).toBe(400);
    expect((await httpGet(listener, '/nowhere')).status).toBe(404);
    expect(JSON.parse((await httpGet(listener, '/healthz')).body)).toEqual({
      status: 'ok',
      pid: worker.pid,
      childIndex: 0,
    });

    const connection = await HttpConnection.open(listener);
    expect((await connection.get('/')).status).toBe(200);
    const inFlight = connection.get('/slow?ms=300');
    worker.signal('SIGUSR2');
    const answered = await inFlight;
    expect(answered.status).toBe(200);
    expect(answered.headers['connection']).toBe('close');
    expect((await connection.ended).clean).toBe(true);
    expect(await worker.exited).toEqual({ code: 0, signal: null });
  });

  it('listens on $PORT when not under Einhorn', async () => {
    const fixture = await spawnFixture(serverOf(name), {
      env: baseEnv({ PORT: '0', ...env }),
      readyLine: LISTENING,
    });
    const line = await fixture.output.waitForLine(LISTENING);
    expect(line).toContain('(not under Einhorn)');
    const port = Number(/"port":(\d+)\D*$/.exec(line)?.[1]);
    expect((await httpGet(tcpListener(port), '/')).body).toBe(`Hello from pid ${fixture.pid}\n`);
    fixture.signal('SIGTERM');
    expect(await fixture.exited).toEqual({ code: 0, signal: null });
  });
});

describe.each(FRAMEWORK_EXAMPLES)('example $label under einhorn-node', ({ name, env }) => {
  afterEach(stopMasters);

  it('B5: runs with -m manual -n 2 and upgrades under a keep-alive load with 0 failed requests', async () => {
    const master = await startMaster({
      options: ['-b', '127.0.0.1:0', '-m', 'manual', '-n', '2'],
      worker: [NODE, serverOf(name)],
      env,
    });
    const before = await master.waitForState(
      (s) => Object.values(s.children).filter((child) => child.acked).length === 2,
    );
    const oldPids = Object.values(before.children).map((child) => child.pid);
    const port = before.bound_ports[0] ?? 0;
    const pidOf = (body: string): number => Number(/^Hello from pid (\d+)/.exec(body)?.[1]);
    const load = keepAliveLoad(tcpListener(port), 8, { pidOf });
    try {
      await vi.waitFor(
        () => {
          expect(load.pids.filter((pid) => oldPids.includes(pid)).length).toBeGreaterThan(100);
        },
        { timeout: 30_000, interval: 20 },
      );
      expect((await master.request('upgrade')).at(-1)?.message).toBe('Upgrade done');
      const after = await master.waitForState(
        (s) =>
          Object.values(s.children).length === 2 &&
          Object.values(s.children).every((child) => child.acked && !oldPids.includes(child.pid)),
      );
      const newPids = Object.values(after.children).map((child) => child.pid);
      const servedBefore = load.pids.length;
      await vi.waitFor(
        () => {
          const fresh = load.pids.slice(servedBefore);
          expect(fresh.filter((pid) => newPids.includes(pid)).length).toBeGreaterThan(100);
        },
        { timeout: 30_000, interval: 20 },
      );
    } finally {
      await load.stop();
    }
    expect(load.failures).toEqual([]);
    master.child.kill('SIGTERM');
    expect(await master.exited).toEqual({ code: 0, signal: null });
  });
});
