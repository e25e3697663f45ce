import { describe, expect, it } from 'vitest';
import { createLogBus } from '../log/log-bus.ts';
import { createRuntimeState } from '../state/runtime.ts';
import { Supervisor } from '../supervisor/supervisor.ts';
import { WorkerPool } from '../supervisor/worker-pool.ts';
import type { PreparedGeneration } from './next-generation.ts';
import { UpgradeController } from './upgrade-controller.ts';

function setup() {
  const state = createRuntimeState({
    target: 1,
    secondsMs: 1000,
    maxSpinupMs: 30_000,
    maxUnacked: 1,
    maxUpgradeAdditional: undefined,
    killTimeoutMs: 0,
    pingTimeoutMs: 0,
    maxFailedStarts: 0,
    ack: { mode: 'manual', timeoutMs: 0 },
    shutdownSignal: 'SIGUSR2',
  });
  const pool = new WorkerPool();
  const launches: number[] = [];
  const log = createLogBus(undefined, 1);
  const supervisor = new Supervisor(pool, state, {
    log,
    hooks: {
      launch: (plan) => {
        launches.push(plan.version);
        return undefined;
      },
      upgradeDone: () => undefined,
      halted: () => undefined,
      exited: () => undefined,
      acked: () => undefined,
    },
  });
  const outcomes: (() => PreparedGeneration)[] = [];
  const seenReloading: (string | undefined)[] = [];
  const controller = new UpgradeController(state, pool, {
    supervisor,
    log,
    prepare: () => {
      seenReloading.push(state.reloading);
      const next = outcomes.shift();
      return Promise.resolve(next ? next() : { ok: true, commit: () => undefined });
    },
  });
  return { state, controller, outcomes, seenReloading, launches };
}

const waiter = () => {
  const events: string[] = [];
  return {
    events,
    waiter: { done: () => events.push('done'), failed: (r: string) => events.push(r) },
  };
};

describe('UpgradeController.request (the upgrade check before every upgrade)', () => {
  it('a failed check tells only that request, starts nothing and leaves spawning on', async () => {
    const { state, controller, outcomes, seenReloading } = setup();
    outcomes.push(() => ({ ok: false, reason: 'Upgrade aborted: check failed.' }));
    const first = waiter();
    controller.request('smooth', first.waiter);
    // A reload queued behind it (checks run one after another) passes: generation + 1 only.
    await controller.reload();
    expect(first.events).toEqual(['Upgrade aborted: check failed.']);
    expect(seenReloading).toEqual(['upgrade', 'reload']);
    expect(state).toMatchObject({ version: 0, generation: 1, upgrading: false });
    expect(state.reloading).toBeUndefined();
  });

  it('a passing check commits the next generation, then bumps generation and version', async () => {
    const { state, controller, outcomes } = setup();
    const committed: number[] = [];
    outcomes.push(() => ({
      ok: true,
      commit: () => {
        committed.push(state.version);
      },
    }));
    const second = waiter();
    controller.request('fleet', second.waiter);
    await controller.reload();
    expect(committed).toEqual([0]);
    expect(state).toMatchObject({
      version: 1,
      generation: 2,
      upgrading: true,
      smoothUpgrade: false,
    });
    expect(second.events).toEqual([]);
    controller.finish();
    expect(second.events).toEqual(['done']);
  });

  it('refuses while shutting down without running the check', async () => {
    const { state, controller, seenReloading } = setup();
    state.respawn = false;
    await expect(controller.run('smooth')).rejects.toMatchObject({
      code: 'ERR_EINHORN_UPGRADE_FAILED',
    });
    expect(seenReloading).toEqual([]);
  });
});
