import { connect } from 'node:net';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeMaster } from '../helpers/fake-master.ts';
import type {
  FakeMaster,
  HeldListener,
  ListenerSpec,
  SpawnWorkerOptions,
} from '../helpers/fake-master.ts';
import { fixtures, lines, payload } from '../helpers/fixture-paths.ts';
import { canReadBacklog, listenBacklog } from '../helpers/ss.ts';

/** Connects to a listener of the worker-listen fixture, which writes its pid and closes. */
async function pidVia(listener: HeldListener): Promise<number> {
  const socket =
    listener.kind === 'tcp'
      ? connect({ host: '127.0.0.1', port: listener.port })
      : connect({ path: listener.path });
  let text = '';
  socket.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  await once(socket, 'close');
  return Number(text.trim());
}

describe('listenOnFd (built @einhorn/worker, real inherited sockets)', () => {
  let master: FakeMaster | undefined;

  afterEach(async () => {
    await master?.close();
    master = undefined;
  });

  async function run(listeners: readonly ListenerSpec[], options: SpawnWorkerOptions = {}) {
    master = await startFakeMaster({ listeners });
    const worker = await master.spawnWorker(fixtures.workerListen, options);
    return { master, worker };
  }

  it('check 1: adopts two TCP listeners in -b order, from non-contiguous fds (7 and 9)', async () => {
    const { master, worker } = await run([{ kind: 'tcp' }, { kind: 'tcp' }], {
      fdPositions: [7, 9],
      env: { EINHORN_FIXTURE_INDEXES: '0,1' },
    });
    await worker.waitForLine(lines.listening);
    const adopted = worker.output.lines
      .filter((line) => lines.adopt.test(line))
      .map((line) => payload(line) as { fd: number; index: number });
    expect(adopted.map(({ fd, index }) => ({ fd, index }))).toEqual([
      { fd: 7, index: 0 },
      { fd: 9, index: 1 },
    ]);
    const [first, second] = master.listeners;
    expect(await pidVia(first!)).toBe(worker.pid);
    expect(await pidVia(second!)).toBe(worker.pid);
  });

  it('adopts a UNIX-socket listener', async () => {
    const { master, worker } = await run([{ kind: 'unix' }]);
    await worker.waitForLine(lines.listening);
    expect(await pidVia(master.listeners[0]!)).toBe(worker.pid);
  });

  it.runIf(canReadBacklog)(
    "check 33: backlog 'inherit' (the default) re-applies the master's TCP backlog (7), read from its command line (-l 7), no process spawned",
    async () => {
      const { master, worker } = await run([{ kind: 'tcp', backlog: 7 }]);
      const adopt = payload(await worker.waitForLine(lines.adopt));
      expect(adopt).toMatchObject({ backlog: 7, backlogSource: 'command-line' });
      await worker.waitForLine(lines.listening);
      expect(listenBacklog(master.listeners[0]!)).toBe(7);
    },
  );

  it.runIf(canReadBacklog)(
    "check 33: backlog 'inherit' keeps a UNIX listener's backlog (9)",
    async () => {
      const { master, worker } = await run([{ kind: 'unix', backlog: 9 }]);
      await worker.waitForLine(lines.listening);
      expect(listenBacklog(master.listeners[0]!)).toBe(9);
    },
  );

  it.runIf(canReadBacklog)('check 33: an explicit backlog (33) replaces the master’s', async () => {
    const { master, worker } = await run([{ kind: 'tcp', backlog: 7 }], {
      env: { EINHORN_FIXTURE_BACKLOG: '33' },
    });
    expect(payload(await worker.waitForLine(lines.adopt))).toMatchObject({
      backlog: 33,
      backlogSource: 'option',
    });
    expect(listenBacklog(master.listeners[0]!)).toBe(33);
  });

  it('rejects an index beyond EINHORN_FD_COUNT with ERR_EINHORN_FD_OUT_OF_RANGE', async () => {
    const { worker } = await run([{ kind: 'tcp' }], { env: { EINHORN_FIXTURE_INDEXES: '1' } });
    expect(payload(await worker.waitForLine(lines.error))).toMatchObject({
      code: 'ERR_EINHORN_FD_OUT_OF_RANGE',
    });
    expect((await worker.exited).code).toBe(1);
  });

  it('rejects an EINHORN_FD_0 that is not open with ERR_EINHORN_FD_INVALID', async () => {
    const { worker } = await run([{ kind: 'tcp' }], { env: { EINHORN_FD_0: '42' } });
    expect(payload(await worker.waitForLine(lines.error))).toMatchObject({
      code: 'ERR_EINHORN_FD_INVALID',
    });
  });

  it('rejects an EINHORN_FD_0 that is a regular file with ERR_EINHORN_FD_INVALID, naming what it found', async () => {
    // sockFd: 'file' puts the fake master's regular file at fd 4; point EINHORN_FD_0 there.
    const { worker } = await run([{ kind: 'tcp' }], { sockFd: 'file', env: { EINHORN_FD_0: '4' } });
    const error = payload(await worker.waitForLine(lines.error)) as {
      code: string;
      message: string;
    };
    expect(error.code).toBe('ERR_EINHORN_FD_INVALID');
    expect(error.message).toContain('a regular file');
  });

  it('rejects a malformed EINHORN_FD_0 with ERR_EINHORN_ENV_INVALID', async () => {
    const { worker } = await run([{ kind: 'tcp' }], { env: { EINHORN_FD_0: 'three' } });
    expect(payload(await worker.waitForLine(lines.error))).toMatchObject({
      code: 'ERR_EINHORN_ENV_INVALID',
    });
  });

  it('drains on SIGUSR2: the listener stops, the master keeps the socket, the worker exits 0', async () => {
    const { master, worker } = await run([{ kind: 'tcp' }]);
    await worker.waitForLine(lines.listening);
    worker.signal('SIGUSR2');
    expect(await worker.exited).toEqual({ code: 0, signal: null });
    const next = await master.spawnWorker(fixtures.workerListen);
    const queued = pidVia(master.listeners[0]!);
    await next.waitForLine(lines.listening);
    expect(await queued).toBe(next.pid);
  });
});
