import { afterEach, describe, expect, it } from 'vitest';
import { startFakeMaster } from '../helpers/fake-master.ts';
import type { FakeMaster, FakeWorker } from '../helpers/fake-master.ts';
import { fixtures, lines, payload } from '../helpers/fixture-paths.ts';

describe('onGracefulShutdown (built @einhorn/worker, real signals)', () => {
  let master: FakeMaster | undefined;

  afterEach(async () => {
    await master?.close();
    master = undefined;
  });

  async function start(env: Record<string, string> = {}): Promise<FakeWorker> {
    master = await startFakeMaster();
    return master.spawnWorker(fixtures.workerShutdown, { env });
  }

  it('check 32: the handler is installed before the ACK: SIGUSR2 sent the moment the ACK arrives is drained, exit 0', async () => {
    const worker = await start();
    await worker.awaitAck();
    worker.signal('SIGUSR2');
    expect(payload(await worker.waitForLine(lines.draining))).toEqual({ signal: 'SIGUSR2' });
    expect(await worker.exited).toEqual({ code: 0, signal: null });
  });

  it('the deadline aborts the handler with ERR_EINHORN_SHUTDOWN_TIMEOUT and exits 3', async () => {
    const worker = await start({
      EINHORN_FIXTURE_HANDLER: 'hang',
      EINHORN_FIXTURE_SHUTDOWN_TIMEOUT_MS: '100',
    });
    await worker.waitForLine(lines.listening);
    worker.signal('SIGUSR2');
    expect(payload(await worker.waitForLine(lines.aborted))).toEqual({
      code: 'ERR_EINHORN_SHUTDOWN_TIMEOUT',
    });
    expect(await worker.exited).toEqual({ code: 3, signal: null });
  });

  it('a handler that throws exits 1', async () => {
    const worker = await start({ EINHORN_FIXTURE_HANDLER: 'throw' });
    await worker.waitForLine(lines.listening);
    worker.signal('SIGUSR2');
    expect(await worker.exited).toEqual({ code: 1, signal: null });
  });

  it('a second signal while draining exits at once with 4', async () => {
    const worker = await start({ EINHORN_FIXTURE_HANDLER: 'hang' });
    await worker.waitForLine(lines.listening);
    worker.signal('SIGUSR2');
    await worker.waitForLine(lines.draining);
    worker.signal('SIGUSR2');
    expect(await worker.exited).toEqual({ code: 4, signal: null });
  });

  it('drains on every configured signal (SIGTERM here)', async () => {
    const worker = await start({ EINHORN_FIXTURE_SIGNALS: 'SIGUSR2,SIGTERM' });
    await worker.waitForLine(lines.listening);
    worker.signal('SIGTERM');
    expect(payload(await worker.waitForLine(lines.draining))).toEqual({ signal: 'SIGTERM' });
    expect(await worker.exited).toEqual({ code: 0, signal: null });
  });

  it('the returned function uninstalls the handler: SIGUSR2 then has its default action', async () => {
    const worker = await start({ EINHORN_FIXTURE_HANDLER: 'uninstall' });
    expect(payload(await worker.waitForLine(lines.listening))).toMatchObject({ listeners: [0] });
    worker.signal('SIGUSR2');
    expect(await worker.exited).toEqual({ code: null, signal: 'SIGUSR2' });
  });

  it('refuses SIGUSR1, which Node reserves for the inspector, with ERR_EINHORN_INVALID_OPTIONS', async () => {
    const worker = await start({ EINHORN_FIXTURE_SIGNALS: 'SIGUSR1' });
    expect(payload(await worker.waitForLine(lines.error))).toMatchObject({
      code: 'ERR_EINHORN_INVALID_OPTIONS',
    });
    expect((await worker.exited).code).toBe(1);
  });
});
