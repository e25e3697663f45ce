// The guides' examples (docs/examples/*.ts) type-check against the built packages, and each
// worker among them runs under the fake master: real inherited socket, real command socket, real
// SIGUSR2, on the Node under test (EINHORN_TEST_NODE).
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startFakeMaster } from '../helpers/fake-master.ts';
import type { FakeMaster, FakeWorker, HeldListener, ListenerSpec } from '../helpers/fake-master.ts';
import { HttpConnection, httpGet } from '../helpers/http-client.ts';
import { h2Load } from '../helpers/h2-load.ts';
import { keepAliveLoad, lineLoad } from '../helpers/load.ts';
import { lostAndDuplicated, wsLoad } from '../helpers/ws-load.ts';
import { lostAndDuplicated as sioLost, sioLoad } from '../helpers/sio-load.ts';
import type { Load } from '../helpers/load.ts';
import { EVENT_TIMEOUT_MS } from '../helpers/spawn-fixture.ts';
import { compileExamples } from './support/compile.ts';
import type { CompiledExamples } from './support/compile.ts';
import { DOC_EXAMPLES } from './support/repo.ts';

let compiled: CompiledExamples;
let master: FakeMaster | undefined;

beforeAll(() => {
  compiled = compileExamples();
});
afterAll(() => {
  compiled.remove();
});
afterEach(async () => {
  await master?.close();
  master = undefined;
});

async function underMaster(
  script: string,
  options: { listeners?: readonly ListenerSpec[]; env?: Record<string, string> } = {},
): Promise<{ worker: FakeWorker; listeners: readonly HeldListener[] }> {
  master = await startFakeMaster(
    options.listeners === undefined ? {} : { listeners: options.listeners },
  );
  const worker = await master.spawnWorker(
    script,
    options.env === undefined ? {} : { env: options.env },
  );
  const ack = await worker.awaitAck();
  expect(JSON.parse(ack.line)).toEqual({ command: 'worker:ack', pid: worker.pid });
  return { worker, listeners: master.listeners };
}

function first(listeners: readonly HeldListener[]): HeldListener {
  const [listener] = listeners;
  if (listener === undefined) throw new Error('the fake master holds no listener');
  return listener;
}

/** Makes a one-day self-signed localhost certificate in `dir` with openssl, as the HTTPS guide says. */
function selfSignedCertificate(dir: string): { key: string; cert: string } {
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  const made = spawnSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert].concat([
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
    ]),
    { encoding: 'utf8' },
  );
  expect(made.status, made.stderr).toBe(0);
  return { key, cert };
}

/** A kept-alive connection survives until SIGUSR2, then is closed cleanly and the worker exits 0. */
async function drainsCleanly(worker: FakeWorker, listener: HeldListener): Promise<void> {
  const connection = await HttpConnection.open(listener);
  expect((await connection.get('/')).status).toBe(200);
  worker.signal('SIGUSR2');
  expect((await connection.ended).clean).toBe(true);
  expect(await worker.exited).toEqual({ code: 0, signal: null });
}

describe('docs/examples', () => {
  it('type-check against the built packages (tsc, NodeNext)', () => {
    expect(compiled.output).toBe('');
    expect(compiled.status).toBe(0);
  });

  it('getting-started-worker.ts is plain JavaScript too: as .mjs it serves, ACKs and drains', async () => {
    // The guide tells readers to save it as server.mjs, which must run even on Node 20.
    const script = join(compiled.dir, 'getting-started-worker.mjs');
    copyFileSync(join(DOC_EXAMPLES, 'getting-started-worker.ts'), script);
    const { worker, listeners } = await underMaster(script);
    await worker.waitForLine(new RegExp(`^worker ${worker.pid} serving on child index 0$`));
    const listener = first(listeners);
    expect(await httpGet(listener, '/')).toMatchObject({
      status: 200,
      body: `Hello from worker ${worker.pid}\n`,
    });
    const health = await httpGet(listener, '/healthz');
    expect(JSON.parse(health.body)).toEqual({ status: 'ok', pid: worker.pid, childIndex: 0 });
    await drainsCleanly(worker, listener);
  });

  it('express-app.ts: routes, worker info and a clean drain', async () => {
    const { worker, listeners } = await underMaster(compiled.js('express-app'));
    const listener = first(listeners);
    expect((await httpGet(listener, '/')).body).toBe(
      `Hello from pid ${worker.pid} (child index 0)\n`,
    );
    expect(JSON.parse((await httpGet(listener, '/whoami')).body)).toEqual({
      pid: worker.pid,
      childIndex: 0,
      isDraining: false,
    });
    expect(JSON.parse((await httpGet(listener, '/report')).body)).toHaveProperty('generatedAt');
    expect((await httpGet(listener, '/healthz')).status).toBe(200);
    await drainsCleanly(worker, listener);
  });

  it('fastify-app.ts: the plugin, its health route and a clean drain', async () => {
    const { worker, listeners } = await underMaster(compiled.js('fastify-app'));
    const listener = first(listeners);
    expect(JSON.parse((await httpGet(listener, '/')).body)).toEqual({
      pid: worker.pid,
      childIndex: 0,
      draining: false,
    });
    expect(JSON.parse((await httpGet(listener, '/healthz')).body)).toMatchObject({ status: 'ok' });
    await drainsCleanly(worker, listener);
  });

  for (const name of ['koa-app', 'hono-app'] as const)
    it(`${name}.ts: serve() on the framework's server, its health route and a clean drain`, async () => {
      const { worker, listeners } = await underMaster(compiled.js(name));
      const listener = first(listeners);
      expect((await httpGet(listener, '/')).body).toBe(`Hello from worker ${worker.pid}\n`);
      expect(JSON.parse((await httpGet(listener, '/healthz')).body)).toEqual({
        status: 'ok',
        pid: worker.pid,
        childIndex: 0,
      });
      await worker.waitForLine(new RegExp(`^(koa|hono) worker ${worker.pid} up \\(serving\\)$`));
      await drainsCleanly(worker, listener);
    });

  for (const name of ['nestjs-app', 'nestjs-fastify'] as const)
    it(`${name}.ts: app.init(), serve(), and Nest's shutdown hooks after the drain`, async () => {
      const { worker, listeners } = await underMaster(compiled.js(name));
      const listener = first(listeners);
      expect((await httpGet(listener, '/')).body).toBe(`Hello from worker ${worker.pid}\n`);
      expect(JSON.parse((await httpGet(listener, '/healthz')).body)).toEqual({
        status: 'ok',
        pid: worker.pid,
        childIndex: 0,
      });
      await drainsCleanly(worker, listener);
      const lines = worker.output.lines;
      const destroyed = lines.indexOf(`onModuleDestroy in ${worker.pid}`);
      expect(destroyed).toBeGreaterThan(-1);
      expect(lines.indexOf(`onApplicationShutdown in ${worker.pid} (no signal)`)).toBeGreaterThan(
        destroyed,
      );
    });

  it('two-sockets.ts: EINHORN_FD_0 and EINHORN_FD_1 served, one ACK, one drain', async () => {
    const { worker, listeners } = await underMaster(compiled.js('two-sockets'), {
      listeners: [{ kind: 'tcp' }, { kind: 'tcp' }],
    });
    const [web, admin] = listeners;
    if (web === undefined || admin === undefined) throw new Error('expected two listeners');
    expect((await httpGet(web, '/')).body).toBe(`Hello from worker ${worker.pid}\n`);
    expect(JSON.parse((await httpGet(admin, '/healthz')).body)).toMatchObject({ status: 'ok' });
    await master?.barrier();
    const acks = master?.commands.filter(
      (record) =>
        record.request.kind === 'command' && record.request.command.command === 'worker:ack',
    );
    expect(acks).toHaveLength(1);
    worker.signal('SIGUSR2');
    expect(await worker.exited).toEqual({ code: 0, signal: null });
  });

  it('line-server.ts: echoes lines, and on SIGUSR2 says goodbye through drainSocket', async () => {
    const { worker, listeners } = await underMaster(compiled.js('line-server'));
    const listener = first(listeners);
    const socket = createConnection({ host: '127.0.0.1', port: listener.port });
    const received = createInterface({ input: socket })[Symbol.asyncIterator]();
    const ended = new Promise<void>((resolve) => socket.once('end', resolve));
    socket.write('hello\n');
    expect((await received.next()).value).toBe('echo hello');
    worker.signal('SIGUSR2');
    expect((await received.next()).value).toBe('bye: server restarting, reconnect');
    await ended;
    socket.end();
    expect(await worker.exited).toEqual({ code: 0, signal: null });
  });

  it('primitives.ts: drainOnShutdown, listenOnFd and ack by hand', async () => {
    const { worker, listeners } = await underMaster(compiled.js('primitives'));
    expect((await httpGet(first(listeners), '/')).body).toBe('Hello from child 0\n');
    await worker.waitForLine(new RegExp(`^worker ${worker.pid} acked to master \\d+$`));
    await drainsCleanly(worker, first(listeners));
  });

  it('drain-hooks.ts: onDrain runs and the diagnostics channels report the drain', async () => {
    const { worker, listeners } = await underMaster(compiled.js('drain-hooks'));
    await drainsCleanly(worker, first(listeners));
    const lines = worker.output.lines;
    expect(lines).toContainEqual(
      expect.stringMatching(/^einhorn:net:drain \{"phase":"start","trigger":"SIGUSR2"/),
    );
    expect(lines).toContainEqual(expect.stringMatching(/^draining after SIGUSR2, \d+ ms left$/));
    expect(lines).toContain('einhorn:net:drain {"phase":"done","outcome":"drained"}');
    expect(lines).toContainEqual(
      expect.stringMatching(/^einhorn:worker:shutdown \{"phase":"done","exitCode":0/),
    );
  });

  it('background-worker.ts: no socket, ACKs, finishes its job on SIGUSR2 and exits 0', async () => {
    const { worker } = await underMaster(compiled.js('background-worker'), { listeners: [] });
    await worker.waitForLine(/^job 1 done$/);
    worker.signal('SIGUSR2');
    expect(await worker.exited).toEqual({ code: 0, signal: null });
  });

  describe('https-server.ts', () => {
    const hasOpenssl = spawnSync('openssl', ['version']).status === 0;
    const dir = mkdtempSync(join(tmpdir(), 'einhorn-docs-tls-'));
    afterAll(() => {
      rmSync(dir, { recursive: true, force: true });
    });

    it.skipIf(!hasOpenssl && process.env['CI'] === undefined)(
      'serves TLS on the inherited socket and drains (needs openssl to make a certificate)',
      async () => {
        const { key, cert } = selfSignedCertificate(dir);
        const { worker, listeners } = await underMaster(compiled.js('https-server'), {
          env: { TLS_KEY_FILE: key, TLS_CERT_FILE: cert },
        });
        const body = await new Promise<string>((resolve, reject) => {
          request(
            {
              host: '127.0.0.1',
              port: first(listeners).port,
              path: '/',
              rejectUnauthorized: false,
            },
            (res) => {
              let text = '';
              res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
              res.on('end', () => {
                resolve(text);
              });
            },
          )
            .on('error', reject)
            .end();
        });
        expect(body).toBe(`Hello over TLS from ${worker.pid}\n`);
        worker.signal('SIGUSR2');
        expect(await worker.exited).toEqual({ code: 0, signal: null });
      },
    );
  });
});

// The brief's rule: a pattern a guide shows must survive an upgrade under load. Each example
// serves a keep-alive load (a line load for the line server); a second worker of the same
// example starts and ACKs, the first gets SIGUSR2 as einhorn's upgrade sends it and drains, and
// the load keeps going on the second: not one request may fail.
describe('every guide pattern survives an upgrade under load with 0 failed requests', () => {
  async function upgradeUnderLoad(
    script: string,
    options: {
      readonly listeners?: readonly ListenerSpec[];
      readonly env?: Record<string, string>;
      readonly load: (listener: HeldListener) => Load;
    },
  ): Promise<void> {
    const { worker: first_, listeners } = await underMaster(script, options);
    const load = options.load(first(listeners));
    try {
      await vi.waitFor(
        () => {
          expect(load.pids.length).toBeGreaterThan(50);
        },
        { timeout: EVENT_TIMEOUT_MS, interval: 20 },
      );
      if (master === undefined) throw new Error('no master');
      const second = await master.spawnWorker(
        script,
        options.env === undefined ? {} : { env: options.env },
      );
      await second.awaitAck();
      first_.signal('SIGUSR2');
      expect(await first_.exited).toEqual({ code: 0, signal: null });
      const servedByFirst = load.pids.length;
      await vi.waitFor(
        () => {
          expect(load.pids.length).toBeGreaterThan(servedByFirst + 50);
        },
        { timeout: EVENT_TIMEOUT_MS, interval: 20 },
      );
    } finally {
      await load.stop();
    }
    expect(load.failures).toEqual([]);
  }

  const anyPid = (): number => 0;
  const http = (listener: HeldListener): Load => keepAliveLoad(listener, 8, { pidOf: anyPid });

  it('getting-started-worker (serve)', async () => {
    const script = join(compiled.dir, 'getting-started-worker.mjs');
    copyFileSync(join(DOC_EXAMPLES, 'getting-started-worker.ts'), script);
    await upgradeUnderLoad(script, { load: http });
  });

  for (const name of ['express-app', 'fastify-app', 'primitives', 'drain-hooks'] as const)
    it(name, async () => {
      await upgradeUnderLoad(compiled.js(name), { load: http });
    });

  for (const name of ['koa-app', 'hono-app', 'nestjs-app', 'nestjs-fastify'] as const)
    it(name, async () => {
      await upgradeUnderLoad(compiled.js(name), { load: http });
    });

  it('two-sockets', async () => {
    await upgradeUnderLoad(compiled.js('two-sockets'), {
      listeners: [{ kind: 'tcp' }, { kind: 'tcp' }],
      load: http,
    });
  });

  it.skipIf(spawnSync('openssl', ['version']).status !== 0 && process.env['CI'] === undefined)(
    'https-server (TLS)',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'einhorn-docs-tls-load-'));
      try {
        const { key, cert } = selfSignedCertificate(dir);
        await upgradeUnderLoad(compiled.js('https-server'), {
          env: { TLS_KEY_FILE: key, TLS_CERT_FILE: cert },
          load: (listener) => keepAliveLoad(listener, 8, { pidOf: anyPid, tls: true }),
        });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it('line-server (raw net, busy/idle)', async () => {
    await upgradeUnderLoad(compiled.js('line-server'), {
      load: (listener) => lineLoad(listener, 8),
    });
  });

  it('websocket-server (ws noServer, drainWebSockets with busy/idle): 0 messages lost, all closed with 1001', async () => {
    await upgradeUnderLoad(compiled.js('websocket-server'), {
      load: (listener) => {
        const running = wsLoad(`ws://127.0.0.1:${listener.port}/`, 8);
        const failures: string[] = [];
        return {
          pids: running.pids,
          failures,
          async stop() {
            for (const report of await running.stop()) {
              const { lost, duplicated } = lostAndDuplicated(report);
              failures.push(
                ...report.errors,
                ...lost.map((seq) => `lost ${seq}`),
                ...duplicated.map((seq) => `duplicated ${seq}`),
                ...report.closeCodes.filter((code) => code !== 1001).map((code) => `close ${code}`),
              );
              if (report.closeCodes.length === 0) failures.push('never sent off by the drain');
            }
          },
        };
      },
    });
  });

  it('socketio-server (Socket.IO, drainWebSockets with busy/idle): 0 messages lost, every client reconnected', async () => {
    await upgradeUnderLoad(compiled.js('socketio-server'), {
      load: (listener) => {
        const running = sioLoad(`http://127.0.0.1:${listener.port}`, 8, 'websocket');
        const failures: string[] = [];
        return {
          pids: running.pids,
          failures,
          async stop() {
            for (const report of await running.stop()) {
              const { lost, duplicated } = sioLost(report);
              failures.push(
                ...lost.map((seq) => `lost ${seq}`),
                ...duplicated.map((seq) => `duplicated ${seq}`),
                ...report.reasons.filter((reason) => reason !== 'transport close'),
              );
              if (report.reasons.length === 0) failures.push('never sent off by the drain');
            }
          },
        };
      },
    });
  });

  it.skipIf(spawnSync('openssl', ['version']).status !== 0 && process.env['CI'] === undefined)(
    'http2-server (TLS): 0 failed streams',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'einhorn-docs-h2-load-'));
      try {
        const { key, cert } = selfSignedCertificate(dir);
        await upgradeUnderLoad(compiled.js('http2-server'), {
          env: { TLS_KEY_FILE: key, TLS_CERT_FILE: cert },
          load: (listener) => h2Load(`https://127.0.0.1:${listener.port}`),
        });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
