import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeMaster } from '../helpers/fake-master.ts';
import type { CommandRecord, FakeMaster } from '../helpers/fake-master.ts';
import { fixtures, lines, payload } from '../helpers/fixture-paths.ts';

const isCommand = (name: string) => (record: CommandRecord) =>
  record.request.kind === 'command' && record.request.command.command === name;

describe('ack and ping (built @einhorn/worker against a fake master)', () => {
  let master: FakeMaster | undefined;

  afterEach(async () => {
    await master?.close();
    master = undefined;
  });

  it('check 22: sends exactly {"command":"worker:ack","pid":<pid>} on a fresh connection to EINHORN_SOCK_PATH', async () => {
    master = await startFakeMaster();
    const worker = await master.spawnWorker(fixtures.workerAck, { args: ['twice'] });
    const ack = await worker.awaitAck();
    expect(ack.line).toBe(`{"command":"worker:ack","pid":${worker.pid}}`);
    expect(ack.route).toBe('path');
  });

  it('is idempotent per process: two concurrent calls and a later one send a single line', async () => {
    master = await startFakeMaster();
    const worker = await master.spawnWorker(fixtures.workerAck, { args: ['twice'] });
    expect(payload(await worker.waitForLine(lines.result))).toEqual({
      outcomes: ['ok', 'ok', 'ok'],
    });
    await worker.exited;
    await master.barrier();
    expect(master.commands.filter(isCommand('worker:ack'))).toHaveLength(1);
  });

  it('stays idempotent when the ESM and CJS entries are both loaded (one copy, state keyed by Symbol.for)', async () => {
    master = await startFakeMaster();
    const worker = await master.spawnWorker(fixtures.workerAck, { args: ['dual'] });
    expect(payload(await worker.waitForLine(lines.result))).toEqual({
      sameCopy: true,
      outcomes: ['ok', 'ok'],
    });
    await worker.exited;
    await master.barrier();
    expect(master.commands.filter(isCommand('worker:ack'))).toHaveLength(1);
  });

  it('check 27: ping sends worker:ping with the pid and request_id on its own connection', async () => {
    master = await startFakeMaster();
    const worker = await master.spawnWorker(fixtures.workerAck, { args: ['ping'] });
    const ping = await master.waitForCommand(isCommand('worker:ping'));
    expect(JSON.parse(ping.line)).toEqual({
      command: 'worker:ping',
      pid: worker.pid,
      request_id: 'req-42',
    });
    const ack = await worker.awaitAck();
    expect(ping.connection).not.toBe(ack.connection);
    expect(payload(await worker.waitForLine(lines.result))).toEqual({ ack: 'ok', ping: 'ok' });
  });

  it("check 28: via 'fd' with a live -g connection delivers the ACK over that connection", async () => {
    master = await startFakeMaster();
    const worker = await master.spawnWorker(fixtures.workerAck, {
      args: ['via-fd'],
      sockFd: 'connected',
    });
    const ack = await worker.awaitAck();
    expect(ack.route).toBe('fd');
    expect(payload(await worker.waitForLine(lines.result))).toEqual({ ack: 'ok' });
  });

  it("check 28: 'auto' falls back to a live -g connection when EINHORN_SOCK_PATH cannot be reached", async () => {
    master = await startFakeMaster();
    const worker = await master.spawnWorker(fixtures.workerAck, {
      args: ['twice'],
      sockFd: 'connected',
      env: { EINHORN_SOCK_PATH: '/nonexistent/einhorn.sock' },
    });
    expect((await worker.awaitAck()).route).toBe('fd');
    expect(payload(await worker.waitForLine(lines.result))).toEqual({
      outcomes: ['ok', 'ok', 'ok'],
    });
  });

  it("check 28: via 'fd' refuses a regular file with ERR_EINHORN_ACK_CONNECT and writes nothing to it", async () => {
    master = await startFakeMaster();
    const worker = await master.spawnWorker(fixtures.workerAck, {
      args: ['via-fd'],
      sockFd: 'file',
    });
    expect(payload(await worker.waitForLine(lines.result))).toEqual({
      ack: 'ERR_EINHORN_ACK_CONNECT',
    });
    await worker.exited;
    await master.barrier();
    expect(readFileSync(master.sockFdFilePath, 'utf8')).toBe('');
    expect(master.commands.filter(isCommand('worker:ack'))).toEqual([]);
  });

  it("check 28: via 'fd' refuses an fd that is not open (the real einhorn -g case)", async () => {
    master = await startFakeMaster();
    const worker = await master.spawnWorker(fixtures.workerAck, {
      args: ['via-fd'],
      sockFd: 'closed',
    });
    expect(payload(await worker.waitForLine(lines.result))).toEqual({
      ack: 'ERR_EINHORN_ACK_CONNECT',
    });
  });

  it('check 30: a grandchild is not a worker: isEinhornWorker() is false, safeAck() and ack() send nothing', async () => {
    master = await startFakeMaster();
    const wrapper = await master.spawnWorker(fixtures.spawnGrandchild, {
      args: [fixtures.workerAck, 'identity'],
    });
    expect(payload(await wrapper.waitForLine(lines.result))).toEqual({
      isWorker: false,
      contextError: 'ERR_EINHORN_MASTER_PID_MISMATCH',
      safeAck: 'ERR_EINHORN_MASTER_PID_MISMATCH',
      ack: 'ERR_EINHORN_MASTER_PID_MISMATCH',
    });
    await wrapper.exited;
    await master.barrier();
    expect(master.commands.filter(isCommand('worker:ack'))).toEqual([]);
  });

  it('the direct child is a worker: identity checks pass and safeAck() sends the ACK', async () => {
    master = await startFakeMaster();
    const worker = await master.spawnWorker(fixtures.workerAck, { args: ['identity'] });
    expect(payload(await worker.waitForLine(lines.result))).toEqual({
      isWorker: true,
      contextError: null,
      safeAck: 'sent',
      ack: 'ok',
    });
    expect((await worker.awaitAck()).line).toBe(`{"command":"worker:ack","pid":${worker.pid}}`);
  });
});
