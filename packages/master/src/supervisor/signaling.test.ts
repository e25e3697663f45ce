import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogBus } from '../log/log-bus.ts';
import type { MasterLogEntry } from '../types.ts';
import { signalWorkers } from './signaling.ts';
import { poolOf, record } from './test-records.test-helpers.ts';

// The SIGKILL escalation of -t/--signal-timeout (check 46), on fake timers: exact, whatever the
// machine's load. The integration test in test/master/signals.test.ts checks the order of events
// against a real master and a real worker.

let kills: [number, string | number | undefined][] = [];
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance', 'hrtime'] });
  kills = [];
  vi.spyOn(process, 'kill').mockImplementation((pid, signal) => {
    kills.push([pid, signal]);
    return true;
  });
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

function setup(killTimeoutMs: number) {
  const worker = record();
  const pool = poolOf(worker);
  const logs: MasterLogEntry[] = [];
  const log = createLogBus((entry) => logs.push(entry), 0);
  const context = { pool, log, killTimeoutMs };
  return { worker, pool, logs, context };
}

describe('signalWorkers: SIGKILL escalation (check 46)', () => {
  it('sends SIGKILL exactly killTimeoutMs after a recorded signal, never earlier', async () => {
    const { worker, logs, context } = setup(2_000);
    signalWorkers(context, [worker], { signal: 'SIGUSR2', record: true });
    expect(kills).toEqual([[worker.pid, 'SIGUSR2']]);
    expect([...worker.signaled]).toEqual(['USR2']);
    await vi.advanceTimersByTimeAsync(1_999);
    expect(kills).toEqual([[worker.pid, 'SIGUSR2']]);
    await vi.advanceTimersByTimeAsync(1);
    expect(kills).toEqual([
      [worker.pid, 'SIGUSR2'],
      [worker.pid, 'SIGKILL'],
    ]);
    expect([...worker.signaled]).toEqual(['USR2', 'KILL']);
    expect(logs.map((entry) => entry.message)).toEqual([
      `Sending USR2 to [${worker.pid}]`,
      `Child ${worker.pid} is still active 2s after USR2. Sending SIGKILL.`,
    ]);
  });

  it('sends nothing more once the worker has left the pool', async () => {
    const { worker, pool, context } = setup(1_000);
    signalWorkers(context, [worker], { signal: 'SIGUSR2', record: true });
    pool.remove(worker.pid);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(kills).toEqual([[worker.pid, 'SIGUSR2']]);
  });

  it('arms no timer for an unrecorded signal or with a zero timeout', async () => {
    const unrecorded = setup(1_000);
    signalWorkers(unrecorded.context, [unrecorded.worker], { signal: 'SIGUSR1', record: false });
    const untimed = setup(0);
    signalWorkers(untimed.context, [untimed.worker], { signal: 'SIGUSR2', record: true });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(kills).toEqual([
      [unrecorded.worker.pid, 'SIGUSR1'],
      [untimed.worker.pid, 'SIGUSR2'],
    ]);
    expect(unrecorded.worker.timers.size).toBe(0);
    expect(untimed.worker.timers.size).toBe(0);
  });
});
