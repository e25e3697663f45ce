// worker:ack and worker:ping (the worker side of the protocol), timer vs manual mode, the manual
// ACK timeout (P9) and the ping watchdog.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, isAlive, rawSession, startMaster, WAIT } from './helpers.ts';
import type { MasterHandle, StateDoc } from './helpers.ts';

afterEach(cleanup);

/** A manual-mode master whose single worker does not ACK by itself; resolves with its pid. */
async function unackedWorker(
  extra: readonly string[] = [],
): Promise<{ master: MasterHandle; pid: number }> {
  const master = await startMaster({ options: ['-m', 'manual', '-n', '1', ...extra] });
  const state = await master.waitForState((s) => Object.keys(s.children).length === 1);
  return { master, pid: Number(Object.keys(state.children)[0]) };
}

const acked = (state: StateDoc, pid: number): boolean | undefined =>
  state.children[String(pid)]?.acked;

describe('worker:ack', () => {
  it('check 22: a JSON ack closes the connection with zero reply bytes and marks the worker ACKed', async () => {
    const { master, pid } = await unackedWorker();
    expect(acked(await master.state(), pid)).toBe(false);
    const session = await rawSession(master.socketPath);
    session.write(`{"command":"worker:ack","pid":${pid}}\n`);
    expect(await session.closed).toBe('');
    expect(acked(await master.state(), pid)).toBe(true);
  });

  it('check 23: the Ruby-client YAML form works the same', async () => {
    const { master, pid } = await unackedWorker();
    const session = await rawSession(master.socketPath);
    session.write(`---%0Acommand: worker:ack%0Apid: ${pid}%0A\n`);
    expect(await session.closed).toBe('');
    expect(acked(await master.state(), pid)).toBe(true);
  });

  it('check 24: unknown pid, string pid and missing pid: closed, no reply, nothing ACKed, master healthy', async () => {
    const { master, pid } = await unackedWorker();
    for (const line of [
      `{"command":"worker:ack","pid":1}\n`,
      `{"command":"worker:ack","pid":"${pid}"}\n`,
      `{"command":"worker:ack"}\n`,
    ]) {
      const session = await rawSession(master.socketPath);
      session.write(line);
      expect(await session.closed).toBe('');
    }
    await master.waitForLog(/Could not find state for PID 1; ignoring ACK\./);
    const state = await master.state();
    expect(acked(state, pid)).toBe(false);
    expect(state.master_pid).toBe(master.pid);
  });

  it('check 25: a repeated ACK and two ACKs in one write change nothing; later pipelined commands get no reply', async () => {
    const { master, pid } = await unackedWorker();
    const first = await rawSession(master.socketPath);
    first.write(
      `{"command":"worker:ack","pid":${pid}}\n{"command":"worker:ack","pid":${pid}}\n{"command":"state","id":1}\n`,
    );
    expect(await first.closed).toBe('');
    const second = await rawSession(master.socketPath);
    second.write(`{"command":"worker:ack","pid":${pid}}\n`);
    expect(await second.closed).toBe('');
    await master.waitForLog(new RegExp(`Pid ${pid} already ACKed; ignoring new ACK\\.`));
    const state = await master.state();
    expect(acked(state, pid)).toBe(true);
    expect(Object.keys(state.children)).toEqual([String(pid)]);
  });

  it('check 26: in timer mode a manual ACK is ignored and the timer ACKs the worker', async () => {
    const master = await startMaster({
      options: ['-m', '5', '-n', '1'],
      env: { FIXTURE_ACK: 'manual' },
    });
    const events = await master.waitForEvents((all) =>
      all.some((event) => event.event === 'acked'),
    );
    const pid = events.find((event) => event.event === 'acked')!.pid;
    const ignored = `Received a manual ACK for ${pid}, but ack_mode is {type: timer, timeout: 5}. Ignoring ACK.`;
    await master.waitForLog(/Up to 1 \/ 1 timer ACKs/);
    expect(acked(await master.state(), pid)).toBe(true);
    // Order from the master's log: the manual ACK was ignored while the worker was still unACKed
    // (before the ACK line), and the ACK that counted was the timer's.
    const lines = master.stderr().split('\n');
    const ignoredAt = lines.findIndex((line) => line.endsWith(ignored));
    expect(ignoredAt, master.stderr()).toBeGreaterThanOrEqual(0);
    expect(lines.findIndex((line) => line.includes('Up to 1 / 1 timer ACKs'))).toBeGreaterThan(
      ignoredAt,
    );
    expect(master.stderr()).not.toMatch(/manual ACKs/);
  });

  it('P10 (opt-in): an ACK with "confirm": true gets a one-line answer before the close', async () => {
    const { master, pid } = await unackedWorker();
    const session = await rawSession(master.socketPath);
    session.write(`{"command":"worker:ack","pid":${pid},"confirm":true}\n`);
    expect(JSON.parse(await session.closed)).toEqual({ message: 'ACKed' });
    const again = await rawSession(master.socketPath);
    again.write(`{"command":"worker:ack","pid":${pid},"confirm":true}\n`);
    expect(JSON.parse(await again.closed)).toEqual({
      message: `Not ACKed: pid ${pid} was already ACKed.`,
    });
  });
});

describe('worker:ping', () => {
  it('check 27: a ping closes the connection without reply and shows in state', async () => {
    const { master, pid } = await unackedWorker();
    const session = await rawSession(master.socketPath);
    session.write(`{"command":"worker:ping","pid":${pid},"request_id":"req-42"}\n`);
    expect(await session.closed).toBe('');
    const child = (await master.state()).children[String(pid)]!;
    expect(child.pinged_request_id).toBe('req-42');
    expect(Number.isNaN(Date.parse(child.pinged_at ?? ''))).toBe(false);
  });

  it('--ping-timeout: a worker that pinged and then went silent is killed and replaced', async () => {
    const master = await startMaster({
      options: ['-m', '0', '-n', '1', '-s', '0.05', '--ping-timeout', '0.3'],
    });
    const state = await master.waitForState((s) => Object.values(s.children).some((c) => c.acked));
    const pid = Number(Object.keys(state.children)[0]);
    const session = await rawSession(master.socketPath);
    session.write(`{"command":"worker:ping","pid":${pid},"request_id":"only-one"}\n`);
    await session.closed;
    await master.waitForLog(new RegExp(`Worker ${pid} has not pinged for 0\\.3s`));
    await vi.waitFor(() => {
      expect(isAlive(pid)).toBe(false);
    }, WAIT);
    await master.waitForState(
      (s) => Object.keys(s.children).length === 1 && !(String(pid) in s.children),
    );
  });
});

describe('P9: manual ACK timeout', () => {
  it('an unACKed worker is killed after --ack-timeout, counted, and the old workers are kept during an upgrade', async () => {
    const master = await startMaster({
      // 2 s: the first worker must ACK in time even on a loaded machine.
      options: ['-m', 'manual', '-n', '1', '-s', '0.05', '--ack-timeout', '2'],
      env: { FIXTURE_ACK: 'manual', FIXTURE_NO_ACK_IF: 'hang' },
    });
    const before = await master.waitForState((s) => Object.values(s.children).some((c) => c.acked));
    const old = Number(Object.keys(before.children)[0]);
    writeFileSync(join(master.dir, 'hang'), ''); // from now on new workers hang before ACKing
    const client = await master.client();
    const replies: string[] = [];
    void client
      .request('upgrade', [], { onMessage: (reply) => replies.push(reply.message) })
      .catch(() => undefined);
    await master.waitForLog(/did not ACK within 2s; killing it and counting it as a failed start/);
    const state = await master.waitForState((s) => s.consecutive_deaths_before_ack >= 1);
    expect(state.upgrading).toBe(true);
    expect(state.children[String(old)]).toMatchObject({ acked: true, signaled: [] });
    expect(isAlive(old)).toBe(true);
    expect(replies).not.toContain('Upgrade done');
  });
});
