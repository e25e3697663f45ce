import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogBus } from '../log/log-bus.ts';
import { createRuntimeState } from '../state/runtime.ts';
import type { RuntimeState } from '../state/runtime.ts';
import { Supervisor } from './supervisor.ts';
import { record } from './test-records.test-helpers.ts';
import { WorkerPool } from './worker-pool.ts';
import type { WorkerRecord } from './worker-pool.ts';
import { monoNow } from '../internal/clock.ts';

beforeEach(() => {
  vi.useFakeTimers({
    toFake: [
      'setTimeout',
      'clearTimeout',
      'setImmediate',
      'clearImmediate',
      'Date',
      'performance',
      'hrtime',
    ],
  });
});
afterEach(() => {
  vi.useRealTimers();
});

function setup(overrides: Partial<RuntimeState['config']> = {}) {
  const state = createRuntimeState({
    target: 1,
    secondsMs: 200,
    maxSpinupMs: 30_000,
    maxUnacked: 4,
    maxUpgradeAdditional: undefined,
    killTimeoutMs: 0,
    pingTimeoutMs: 0,
    maxFailedStarts: 0,
    ack: { mode: 'manual', timeoutMs: 0 },
    shutdownSignal: 'SIGUSR2',
    ...overrides,
  });
  const pool = new WorkerPool();
  const spawns: number[] = [];
  const halted: number[] = [];
  const launched: WorkerRecord[] = [];
  const supervisor = new Supervisor(pool, state, {
    log: createLogBus(undefined, 1),
    hooks: {
      launch: (plan) => {
        spawns.push(monoNow());
        const worker = record({ index: plan.index, version: plan.version });
        pool.add(worker);
        launched.push(worker);
        return worker;
      },
      upgradeDone: () => undefined,
      halted: (version) => halted.push(version),
      exited: () => undefined,
      acked: () => undefined,
    },
  });
  return { state, pool, supervisor, spawns, halted, launched };
}

describe('Supervisor backoff (check 40)', () => {
  it('spaces respawns of workers that die before ACK by at least s·1.5^k', async () => {
    const { supervisor, spawns, launched } = setup();
    supervisor.replenish();
    for (let death = 1; death <= 6; death++) {
      await vi.advanceTimersByTimeAsync(10);
      supervisor.handleExit(launched.at(-1)!.pid, { code: 1, signal: null });
      for (let step = 0; step < 1000 && spawns.length < death + 1; step++)
        await vi.advanceTimersByTimeAsync(5);
      expect(spawns).toHaveLength(death + 1);
    }
    for (let k = 1; k < spawns.length; k++) {
      expect(spawns[k]! - spawns[k - 1]!).toBeGreaterThanOrEqual(200 * 1.5 ** k);
      expect(spawns[k]! - spawns[k - 1]!).toBeLessThan(200 * 1.5 ** k + 100);
    }
  });

  it('resets the streak on any ACK', () => {
    const { supervisor, state, launched } = setup();
    supervisor.replenish();
    state.consecutiveDeathsBeforeAck = 4;
    supervisor.markAcked(launched[0]!, 'manual');
    expect(state.consecutiveDeathsBeforeAck).toBe(0);
    expect(state.versionEverAcked).toBe(true);
  });

  it('caps the interval at 30 s', async () => {
    const { supervisor, state, spawns, launched } = setup({ secondsMs: 1000 });
    supervisor.replenish();
    state.consecutiveDeathsBeforeAck = 19;
    supervisor.handleExit(launched[0]!.pid, { code: 1, signal: null });
    await vi.advanceTimersByTimeAsync(29_000);
    expect(spawns).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(spawns).toHaveLength(2);
  });
});

describe('Supervisor circuit breaker', () => {
  it('halts a version that never ACKed after maxFailedStarts deaths', async () => {
    const { supervisor, state, spawns, halted, launched } = setup({
      maxFailedStarts: 3,
      secondsMs: 10,
    });
    supervisor.replenish();
    for (let death = 0; death < 3; death++) {
      supervisor.handleExit(launched.at(-1)!.pid, { code: 1, signal: null });
      await vi.advanceTimersByTimeAsync(1_000);
    }
    expect(halted).toEqual([0]);
    expect(state.halted).toEqual({ version: 0, failedStarts: 3, at: expect.any(Number) as number });
    expect(spawns).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(spawns).toHaveLength(3);
  });

  it('never halts a version that has ACKed before', async () => {
    const { supervisor, halted, launched } = setup({ maxFailedStarts: 2, secondsMs: 10 });
    supervisor.replenish();
    supervisor.markAcked(launched[0]!, 'manual');
    for (let death = 0; death < 5; death++) {
      launched.at(-1)!.acked = false;
      supervisor.handleExit(launched.at(-1)!.pid, { code: 1, signal: null });
      await vi.advanceTimersByTimeAsync(1_000);
    }
    expect(halted).toEqual([]);
  });
});
