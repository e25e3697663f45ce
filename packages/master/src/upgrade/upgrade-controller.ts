import { EinhornMasterError } from '@einhorn/core';
import type { LogBus } from '../log/log-bus.ts';
import type { RuntimeState } from '../state/runtime.ts';
import { EINHORN_NODE_VERSION } from '../state/version.ts';
import type { Supervisor } from '../supervisor/supervisor.ts';
import type { WorkerPool } from '../supervisor/worker-pool.ts';
import type { UpgradeResult } from '../types.ts';

/** `smooth` (einhorn's `upgrade`) or `fleet` (`upgrade_fleet`). */
export type UpgradeMode = 'smooth' | 'fleet';

/** Someone waiting for the running upgrade to end: an `upgrade()` promise or an `upgrade` client. */
export interface UpgradeWaiter {
  done(result: UpgradeResult): void;
  failed(reason: string): void;
}

/** Why an upgrade cannot start, or undefined when it can. */
export type UpgradeRefusal = string | undefined;

/**
 * einhorn's `upgrade_workers` (command.rb:446-468) without the re-exec: the master keeps its pid,
 * bumps `version`, and spawns the same command again (new code on disk) as the new version.
 */
export class UpgradeController {
  readonly #waiters = new Set<UpgradeWaiter>();

  constructor(
    private readonly state: RuntimeState,
    private readonly pool: WorkerPool,
    private readonly deps: {
      readonly supervisor: Supervisor;
      readonly log: LogBus;
      readonly finished?: (result: UpgradeResult) => void;
    },
  ) {}

  /** The final reply for a refused upgrade (fixes P4: the client always gets one). */
  refusal(): UpgradeRefusal {
    return this.state.respawn ? undefined : 'Not upgrading: the master is shutting down';
  }

  /** Registers a waiter until the upgrade ends; returns a remover. */
  wait(waiter: UpgradeWaiter): () => void {
    this.#waiters.add(waiter);
    return () => this.#waiters.delete(waiter);
  }

  /** Starts (or restarts, bumping the version again) an upgrade. Call only when `refusal()` is undefined. */
  start(mode: UpgradeMode): void {
    const { state } = this;
    if (state.upgrading) {
      this.deps.log.info(
        `Currently upgrading (${this.pool.ackCount(state.version)} / ${state.config.target} ACKs; bumping version and starting over)...`,
        'upgrade',
      );
    } else {
      state.upgrading = true;
      state.upgradeFromVersion = state.version;
      this.deps.log.info(`Starting ${mode} upgrade from version ${state.version}...`, 'upgrade');
    }
    state.smoothUpgrade = mode === 'smooth';
    state.consecutiveDeathsBeforeAck = 0;
    state.version++;
    state.halted = undefined;
    state.versionEverAcked = false;
    if (mode === 'fleet') this.deps.supervisor.replenishImmediately();
    else this.deps.supervisor.replenish();
    this.deps.supervisor.wake();
  }

  /**
   * Starts an upgrade and resolves when it completes; rejects ERR_EINHORN_UPGRADE_FAILED when it
   * cannot start (`refusal`) or fails later.
   */
  run(mode: UpgradeMode, refusal: UpgradeRefusal = this.refusal()): Promise<UpgradeResult> {
    if (refusal !== undefined)
      return Promise.reject(new EinhornMasterError('ERR_EINHORN_UPGRADE_FAILED', `${refusal}.`));
    return new Promise((resolve, reject) => {
      this.wait({
        done: resolve,
        failed: (reason) => {
          reject(new EinhornMasterError('ERR_EINHORN_UPGRADE_FAILED', reason));
        },
      });
      this.start(mode);
    });
  }

  /** Called when every new worker ACKed. */
  finish(): void {
    const { state } = this;
    this.deps.log.info(
      `Upgraded successfully to version ${state.version} (einhorn-node ${EINHORN_NODE_VERSION}).`,
      'upgrade',
    );
    const result: UpgradeResult = {
      mode: state.smoothUpgrade ? 'smooth' : 'fleet',
      fromVersion: state.upgradeFromVersion,
      toVersion: state.version,
    };
    for (const waiter of this.#drain()) waiter.done(result);
    this.deps.finished?.(result);
  }

  /** Tells every waiter the upgrade will not complete (circuit breaker, shutdown). */
  fail(reason: string): void {
    for (const waiter of this.#drain()) waiter.failed(reason);
  }

  #drain(): UpgradeWaiter[] {
    const waiters = [...this.#waiters];
    this.#waiters.clear();
    return waiters;
  }
}
