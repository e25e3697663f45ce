import { EinhornMasterError } from '@einhorn/core';
import type { LogBus } from '../log/log-bus.ts';
import type { RuntimeState } from '../state/runtime.ts';
import { EINHORN_NODE_VERSION } from '../state/version.ts';
import type { Supervisor } from '../supervisor/supervisor.ts';
import type { WorkerPool } from '../supervisor/worker-pool.ts';
import type { UpgradeResult } from '../types.ts';
import type { PreparedGeneration } from './next-generation.ts';

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
 * einhorn's reload + `upgrade_workers` (command.rb:219-269, 446-468) without replacing the
 * master: each request first prepares the next generation (the upgrade check of the re-exec
 * command line and the environment einhorn's re-exec would have), then the master keeps its pid,
 * bumps `version` and `generation`, and spawns the same command again (new code on disk).
 */
export class UpgradeController {
  readonly #waiters = new Set<UpgradeWaiter>();
  #queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly state: RuntimeState,
    private readonly pool: WorkerPool,
    private readonly deps: {
      readonly supervisor: Supervisor;
      readonly log: LogBus;
      readonly finished?: (result: UpgradeResult) => void;
      /** Prepares the next generation; by default there is nothing to check. */
      readonly prepare?: () => Promise<PreparedGeneration>;
    },
  ) {}

  /**
   * Requests an upgrade: prepares the next generation (requests run one after another), then
   * starts the upgrade and registers `waiter`; when preparing fails or the master started stopping
   * meanwhile, only `waiter` is told (unlike einhorn, whose client waits forever).
   */
  request(mode: UpgradeMode, waiter?: UpgradeWaiter): void {
    this.#queue = this.#queue.then(async () => {
      const outcome = await this.#prepare('upgrade');
      const refusal = this.refusal();
      if (refusal !== undefined || !outcome.ok) {
        waiter?.failed(refusal ?? (outcome.ok ? '' : outcome.reason));
        return;
      }
      outcome.commit();
      this.state.generation++;
      if (waiter) this.#waiters.add(waiter);
      this.start(mode);
    });
  }

  /** `reload`: prepares and commits the next generation without touching the workers. */
  reload(): Promise<PreparedGeneration> {
    const result = this.#queue.then(async () => {
      const outcome = await this.#prepare('reload');
      if (outcome.ok && this.refusal() === undefined) {
        outcome.commit();
        this.state.generation++;
      }
      return outcome;
    });
    this.#queue = result.then(() => undefined);
    return result;
  }

  async #prepare(kind: 'upgrade' | 'reload'): Promise<PreparedGeneration> {
    const refusal = this.refusal();
    if (refusal !== undefined) return { ok: false, reason: refusal };
    this.state.reloading = kind;
    try {
      return (await this.deps.prepare?.()) ?? { ok: true, commit: () => undefined };
    } catch (error) {
      return { ok: false, reason: `Upgrade aborted: ${String(error)}` };
    } finally {
      this.state.reloading = undefined;
      // Spawning was paused meanwhile; catch up (start() wakes the loop again, harmlessly).
      this.deps.supervisor.wake();
    }
  }

  /** The final reply for a refused upgrade (fixes P4: the client always gets one). */
  refusal(): UpgradeRefusal {
    return this.state.respawn ? undefined : 'Not upgrading: the master is shutting down';
  }

  /** Registers a waiter until the upgrade ends; returns a remover. */
  wait(waiter: UpgradeWaiter): () => void {
    this.#waiters.add(waiter);
    return () => this.#waiters.delete(waiter);
  }

  /** Starts (or restarts, bumping the version again) an upgrade at once; use `request()`. */
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
      this.request(mode, {
        done: resolve,
        failed: (reason) => {
          reject(new EinhornMasterError('ERR_EINHORN_UPGRADE_FAILED', reason));
        },
      });
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
