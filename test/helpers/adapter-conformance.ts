// One lifecycle suite for every HTTP adapter: @einhorn/net (http.Server), @einhorn/express and
// @einhorn/fastify each call describeAdapterConformance() with a fixture that follows the
// contract below, and must pass the same checks.
//
// ── Fixture contract ──────────────────────────────────────────────────────────────────────
// A fixture is a plain .mjs file importing the BUILT packages. It serves HTTP on the
// inherited socket EINHORN_FD_0 through its adapter, with the adapter's defaults except for:
//   EINHORN_FIXTURE_SHUTDOWN_TIMEOUT_MS  drain deadline (ms)         → e.g. serve({ timeoutMs })
//   EINHORN_FIXTURE_IDLE_GRACE_MS        idle keep-alive grace (ms)  → e.g. serve({ idleGraceMs })
//   EINHORN_FIXTURE_LEGACY_FDS=0         refuse EINHORN_FDS          → e.g. serve({ legacyFds: false })
// Routes:
//   GET /               200, JSON body {"pid": <process.pid>}
//   GET /slow?ms=N      the same, N ms after the request arrived
//   GET /slow?ms=N&after=drain   the same, N ms after draining started
//   anything else       404
// Lines on stderr (one each, `einhorn-fixture:<event> <json>`):
//   listening {"pid":…}        once serving and ACKed
//   request {"url":…}          when a /slow request arrives
//   draining {"signal":…}      when draining starts; subscribe to `channels.shutdown` from
//                              @einhorn/worker and print it on `phase: 'start'`
//   error {"code":…,"message":…}  when startup fails (print err.code); then process.exit(1)
//                              (not exitCode: a node:cluster worker's IPC channel keeps it alive)
// Exit codes come from the adapter: 0 drained, 3 deadline, 4 second signal (exitCodes).
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startFakeMaster } from './fake-master.ts';
import { fixtures, lines, payload } from './fixture-paths.ts';
import type {
  FakeMaster,
  FakeWorker,
  HeldListener,
  ListenerSpec,
  SpawnWorkerOptions,
} from './fake-master.ts';
import { HttpConnection, httpGet } from './http-client.ts';
import { keepAliveLoad } from './load.ts';
import { EVENT_TIMEOUT_MS } from './spawn-fixture.ts';
import { canReadBacklog, listenBacklog } from './ss.ts';

const { listening: LISTENING, draining: DRAINING, request: REQUEST, error: ERROR } = lines;

function errorCode(line: string): unknown {
  return payload(line)['code'];
}

function pidOf(body: string): number {
  return (JSON.parse(body) as { pid: number }).pid;
}

/**
 * Registers the adapter conformance suite for one fixture (see the contract at the top of
 * this file).
 *
 * @param name - the adapter's name, shown in test titles.
 * @param fixturePath - absolute path of the fixture .mjs.
 */
export function describeAdapterConformance(name: string, fixturePath: string): void {
  describe(`adapter conformance: ${name}`, () => {
    let master: FakeMaster | undefined;

    afterEach(async () => {
      await master?.close();
      master = undefined;
    });

    async function startWorker(
      options: SpawnWorkerOptions & { listeners?: readonly ListenerSpec[] } = {},
    ): Promise<{ master: FakeMaster; worker: FakeWorker; listener: HeldListener }> {
      const { listeners, ...spawnOptions } = options;
      const started = await startFakeMaster(listeners === undefined ? {} : { listeners });
      master = started;
      const worker = await started.spawnWorker(fixturePath, spawnOptions);
      await worker.waitForLine(LISTENING);
      const [listener] = started.listeners;
      if (listener === undefined) throw new Error('the fake master has no listener');
      return { master: started, worker, listener };
    }

    it('check 22: adopts EINHORN_FD_0, serves on it, and ACKs with exactly one worker:ack line carrying its pid', async () => {
      const { master, worker, listener } = await startWorker();
      const ack = await worker.awaitAck();
      expect(ack.route).toBe('path');
      expect(JSON.parse(ack.line)).toEqual({ command: 'worker:ack', pid: worker.pid });
      const response = await httpGet(listener, '/');
      expect(response.status).toBe(200);
      expect(pidOf(response.body)).toBe(worker.pid);
      await master.barrier();
      expect(
        master.commands.filter(
          (record) =>
            record.request.kind === 'command' && record.request.command.command === 'worker:ack',
        ),
      ).toHaveLength(1);
    });

    it('serves on an inherited UNIX socket', async () => {
      const { worker, listener } = await startWorker({ listeners: [{ kind: 'unix' }] });
      const response = await httpGet(listener, '/');
      expect(pidOf(response.body)).toBe(worker.pid);
    });

    it.runIf(canReadBacklog)(
      "check 33: keeps the master's listen backlog (7), which Node's listen({ fd }) would reset to 511",
      async () => {
        const { listener } = await startWorker({ listeners: [{ kind: 'tcp', backlog: 7 }] });
        expect(listenBacklog(listener)).toBe(7);
      },
    );

    it('check 32: finishes an in-flight request across SIGUSR2, answers it with Connection: close, then exits 0', async () => {
      const { worker, listener } = await startWorker();
      const connection = await HttpConnection.open(listener);
      const response = connection.get('/slow?ms=100&after=drain');
      await worker.waitForLine(REQUEST);
      worker.signal('SIGUSR2');
      await worker.waitForLine(DRAINING);
      const answered = await response;
      expect(answered.status).toBe(200);
      expect(answered.headers['connection']).toBe('close');
      expect((await connection.ended).clean).toBe(true);
      expect(await worker.exited).toEqual({ code: 0, signal: null });
    });

    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      it(`drains on ${signal} exactly like SIGUSR2 (einhorn TERM, Kubernetes, systemd, a terminal): the in-flight request is answered, exit 0`, async () => {
        const { worker, listener } = await startWorker();
        const connection = await HttpConnection.open(listener);
        const response = connection.get('/slow?ms=100&after=drain');
        await worker.waitForLine(REQUEST);
        worker.signal(signal);
        expect(payload(await worker.waitForLine(DRAINING))['signal']).toBe(signal);
        const answered = await response;
        expect(answered.status).toBe(200);
        expect(answered.headers['connection']).toBe('close');
        expect((await connection.ended).clean).toBe(true);
        expect(await worker.exited).toEqual({ code: 0, signal: null });
      });
    }

    it('answers a later request on a kept-alive socket with Connection: close instead of resetting it', async () => {
      const { worker, listener } = await startWorker({
        env: { EINHORN_FIXTURE_IDLE_GRACE_MS: '20000' },
      });
      const connection = await HttpConnection.open(listener);
      const first = await connection.get('/');
      expect(first.headers['connection']).toBe('keep-alive');
      worker.signal('SIGUSR2');
      await worker.waitForLine(DRAINING);
      const later = await connection.get('/');
      expect(later.status).toBe(200);
      expect(later.headers['connection']).toBe('close');
      expect((await connection.ended).clean).toBe(true);
      expect(await worker.exited).toEqual({ code: 0, signal: null });
    });

    it('closes idle keep-alive sockets cleanly after the grace period and exits 0', async () => {
      const { worker, listener } = await startWorker({
        env: { EINHORN_FIXTURE_IDLE_GRACE_MS: '50' },
      });
      const connection = await HttpConnection.open(listener);
      await connection.get('/');
      worker.signal('SIGUSR2');
      expect(await connection.ended).toEqual({ clean: true, error: undefined });
      expect(await worker.exited).toEqual({ code: 0, signal: null });
    });

    it('stops accepting at once while the master keeps the socket: a new connection waits for the next worker', async () => {
      const { master, worker, listener } = await startWorker();
      const busy = await HttpConnection.open(listener);
      const held = busy.get('/slow?ms=0&after=drain');
      await worker.waitForLine(REQUEST);
      worker.signal('SIGUSR2');
      await worker.waitForLine(DRAINING);
      await held;
      expect(await worker.exited).toEqual({ code: 0, signal: null });
      // Nobody listens now, yet the socket is still LISTEN in the master: this connects and queues.
      const queued = HttpConnection.open(listener).then((connection) => connection.get('/'));
      const next = await master.spawnWorker(fixturePath);
      await next.waitForLine(LISTENING);
      expect(pidOf((await queued).body)).toBe(next.pid);
    });

    it('B5: fails no request of a keep-alive load while a worker drains and a second one takes over', async () => {
      const { master, worker, listener } = await startWorker();
      const load = keepAliveLoad(listener, 8);
      try {
        await vi.waitFor(
          () => {
            expect(load.pids.filter((pid) => pid === worker.pid).length).toBeGreaterThan(50);
          },
          { timeout: EVENT_TIMEOUT_MS, interval: 20 },
        );
        const second = await master.spawnWorker(fixturePath);
        await second.waitForLine(LISTENING);
        worker.signal('SIGUSR2');
        expect(await worker.exited).toEqual({ code: 0, signal: null });
        await vi.waitFor(
          () => {
            expect(load.pids).toContain(second.pid);
          },
          { timeout: EVENT_TIMEOUT_MS, interval: 20 },
        );
      } finally {
        await load.stop();
      }
      expect(load.failures).toEqual([]);
    });

    it('enforces the deadline: destroys what is left and exits 3', async () => {
      const { worker, listener } = await startWorker({
        env: { EINHORN_FIXTURE_SHUTDOWN_TIMEOUT_MS: '200' },
      });
      const connection = await HttpConnection.open(listener);
      const response = connection.get('/slow?ms=600000').then(
        () => 'answered',
        () => 'reset',
      );
      await worker.waitForLine(REQUEST);
      worker.signal('SIGUSR2');
      expect(await worker.exited).toEqual({ code: 3, signal: null });
      expect(await response).toBe('reset');
    });

    it('exits at once with 4 on a second signal while draining', async () => {
      const { worker, listener } = await startWorker();
      const connection = await HttpConnection.open(listener);
      const response = connection.get('/slow?ms=600000').then(
        () => 'answered',
        () => 'reset',
      );
      await worker.waitForLine(REQUEST);
      worker.signal('SIGUSR2');
      await worker.waitForLine(DRAINING);
      worker.signal('SIGUSR2');
      expect(await worker.exited).toEqual({ code: 4, signal: null });
      expect(await response).toBe('reset');
    });

    it('check 28: EINHORN_SOCK_FD at a regular file: ACKs through EINHORN_SOCK_PATH and writes nothing to the file', async () => {
      const { master, worker } = await startWorker({ sockFd: 'file' });
      expect((await worker.awaitAck()).route).toBe('path');
      expect(readFileSync(master.sockFdFilePath, 'utf8')).toBe('');
    });

    it('check 28: EINHORN_SOCK_FD reused by an unrelated connected socket (stdout): ACKs through the path, writes nothing there', async () => {
      const { worker } = await startWorker({ sockFd: 'stdout' });
      expect((await worker.awaitAck()).route).toBe('path');
      expect(worker.output.stdout).not.toContain('worker:ack');
    });

    it('check 28: EINHORN_SOCK_FD at a live command-socket connection: the ACK arrives', async () => {
      const { worker } = await startWorker({ sockFd: 'connected' });
      const ack = await worker.awaitAck();
      expect(JSON.parse(ack.line)).toEqual({ command: 'worker:ack', pid: worker.pid });
    });

    it('check 29: serves on non-contiguous fds (7) and ignores a stale EINHORN_FD_1', async () => {
      const { worker, listener } = await startWorker({
        fdPositions: [7],
        env: { EINHORN_FD_1: '9' },
      });
      await worker.awaitAck();
      expect(pidOf((await httpGet(listener, '/')).body)).toBe(worker.pid);
    });

    it('check 31: adopts the fds of the legacy EINHORN_FDS when EINHORN_FD_COUNT is absent', async () => {
      const { worker, listener } = await startWorker({ legacyFds: true });
      await worker.awaitAck();
      expect(pidOf((await httpGet(listener, '/')).body)).toBe(worker.pid);
    });

    it('check 31: with legacy parsing off, an EINHORN_FDS-only environment is a clear error, not a partial result', async () => {
      const started = await startFakeMaster();
      master = started;
      const worker = await started.spawnWorker(fixturePath, {
        legacyFds: true,
        env: { EINHORN_FIXTURE_LEGACY_FDS: '0' },
      });
      expect(errorCode(await worker.waitForLine(ERROR))).toBe('ERR_EINHORN_FD_OUT_OF_RANGE');
      expect((await worker.exited).code).toBe(1);
    });

    it('check 30: a grandchild that inherited the environment is not a worker: it neither adopts nor ACKs', async () => {
      const started = await startFakeMaster();
      master = started;
      const wrapper = await started.spawnWorker(fixtures.spawnGrandchild, { args: [fixturePath] });
      expect(errorCode(await wrapper.waitForLine(ERROR))).toBe('ERR_EINHORN_MASTER_PID_MISMATCH');
      expect((await wrapper.exited).code).toBe(1);
      await started.barrier();
      expect(
        started.commands.filter(
          (record) =>
            record.request.kind === 'command' && record.request.command.command === 'worker:ack',
        ),
      ).toEqual([]);
    });

    it('refuses to run inside a node:cluster worker (ERR_EINHORN_CLUSTER_WORKER)', async () => {
      const started = await startFakeMaster();
      master = started;
      const primary = await started.spawnWorker(fixtures.clusterPrimary, { args: [fixturePath] });
      expect(errorCode(await primary.waitForLine(ERROR))).toBe('ERR_EINHORN_CLUSTER_WORKER');
      expect((await primary.exited).code).toBe(1);
    });
  });
}
