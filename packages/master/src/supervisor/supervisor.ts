import type { LogBus } from '../log/log-bus.ts';
import type { RuntimeState } from '../state/runtime.ts';
import type { WorkerExit } from '../types.ts';
import { decideSpinup, planCull, spinupIntervalMs } from './policy.ts';
import type { CullPlan } from './policy.ts';
import { signalWorkers } from './signaling.ts';
import type { WorkerPool, WorkerRecord } from './worker-pool.ts';
import { monoNow, wallFromMono } from '../internal/clock.ts';

function retireMessage(
  reason: CullPlan['retireReason'],
  count: number,
  additional: number | undefined,
): string {
  if (reason === 'smooth') return `Smooth upgrade: killing off ${count} old workers.`;
  if (reason === 'room')
    return `Smooth upgrade: no room for a new worker (max_upgrade_additional is ${String(additional)}), so killing off ${count} old worker first.`;
  return `Killing off ${count} old workers.`;
}

/** What the supervisor asks of the master. */
export interface SupervisorHooks {
  /** Starts one worker; returns its record, or undefined if the spawn failed. */
  launch(plan: { readonly index: number; readonly version: number }): WorkerRecord | undefined;
  /** Every new worker of the target version is ACKed. */
  upgradeDone(): void;
  /** The circuit breaker stopped spawning `version`. */
  halted(version: number, failedStarts: number): void;
  /** A worker exited (after it left the pool). */
  exited(record: WorkerRecord, exit: WorkerExit): void;
  /** A worker was ACKed (timer or manual). */
  acked(record: WorkerRecord): void;
}

/**
 * einhorn's main loop (einhorn.rb:448-458), event-driven: any change calls `wake()`, which runs
 * `replenish` then `cull` once on the next turn of the event loop.
 */
export class Supervisor {
  #woken = false;
  #spinupTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly pool: WorkerPool,
    private readonly state: RuntimeState,
    private readonly deps: { readonly log: LogBus; readonly hooks: SupervisorHooks },
  ) {}

  wake(): void {
    if (this.#woken) return;
    this.#woken = true;
    setImmediate(() => {
      this.#woken = false;
      this.replenish();
      this.cull();
    });
  }

  /** Stops the spawn timer (shutdown). */
  dispose(): void {
    if (this.#spinupTimer) clearTimeout(this.#spinupTimer);
    this.#spinupTimer = undefined;
  }

  replenish(): void {
    if (!this.state.respawn || this.state.halted?.version === this.state.version) return;
    if (this.state.reloading !== undefined) return;
    if (this.state.lastSpinupMono === undefined) this.replenishImmediately();
    else this.#replenishGradually();
  }

  /** All missing workers at once: first start and fleet upgrades (einhorn's `replenish_immediately`). */
  replenishImmediately(): void {
    const missing = this.state.config.target - this.pool.modern(this.state.version).length;
    if (missing <= 0) return;
    this.deps.log.info(`Launching ${missing} new workers`);
    for (let i = 0; i < missing; i++) this.#spawn();
  }

  #replenishGradually(): void {
    if (this.#spinupTimer) return;
    const { config } = this.state;
    if (config.target - this.pool.modern(this.state.version).length <= 0) return;
    const deaths = this.state.consecutiveDeathsBeforeAck;
    const interval = spinupIntervalMs(config.secondsMs, deaths, config.maxSpinupMs);
    const elapsed = monoNow() - (this.state.lastSpinupMono ?? 0);
    let wait = interval - elapsed;
    if (wait <= 0) {
      const decision = decideSpinup(this.pool, this.state.version, {
        target: config.target,
        maxUnacked: config.maxUnacked,
        maxUpgradeAdditional: config.maxUpgradeAdditional,
      });
      if (decision.spawn) {
        const message = `Last spinup was ${(elapsed / 1000).toFixed(3)}s ago, and spinup_interval is ${interval / 1000}s, so spinning up a new process.`;
        if (deaths > 0)
          this.deps.log.info(
            `${message} (there have been ${deaths} consecutive unacked worker deaths)`,
            'upgrade',
          );
        else this.deps.log.debug(message);
        this.#spawn();
      } else {
        this.deps.log.info(decision.reason);
      }
      wait = interval;
    }
    this.#spinupTimer = setTimeout(() => {
      this.#spinupTimer = undefined;
      this.replenish();
    }, Math.ceil(wait));
  }

  #spawn(): void {
    const record = this.deps.hooks.launch({
      index: this.pool.nextIndex(),
      version: this.state.version,
    });
    // Measured from the end of spawn(): the next gap can only be longer, never shorter.
    this.state.lastSpinupMono = monoNow();
    this.state.lastSpinupAt = wallFromMono(record?.spawnedMono ?? this.state.lastSpinupMono);
    if (!record) this.#countFailedStart(this.state.version);
  }

  cull(): void {
    const plan = planCull(this.pool, {
      version: this.state.version,
      target: this.state.config.target,
      upgrading: this.state.upgrading,
      smooth: this.state.smoothUpgrade,
      maxUpgradeAdditional: this.state.config.maxUpgradeAdditional,
    });
    const signalContext = {
      pool: this.pool,
      log: this.deps.log,
      killTimeoutMs: this.state.config.killTimeoutMs,
    };
    const signal = this.state.config.shutdownSignal;
    if (plan.finishUpgrade) {
      this.state.upgrading = false;
      this.state.lastUpgradedAt = Date.now();
      this.deps.hooks.upgradeDone();
    }
    if (plan.retire.length > 0) {
      this.deps.log.info(
        retireMessage(
          plan.retireReason,
          plan.retire.length,
          this.state.config.maxUpgradeAdditional,
        ),
        'upgrade',
      );
      signalWorkers(signalContext, plan.retire, { signal, record: true });
    }
    if (plan.excess.length > 0) {
      this.deps.log.info(
        `Have too many workers at the current version, so killing off ${plan.excess.length} of them.`,
      );
      signalWorkers(signalContext, plan.excess, { signal, record: true });
    }
  }

  /** Reaps one worker (einhorn's `mourn`): counts deaths before ACK and wakes the loop. */
  handleExit(pid: number, exit: WorkerExit): void {
    const record = this.pool.remove(pid);
    if (!record) return;
    for (const timer of record.timers) clearTimeout(timer);
    record.timers.clear();
    if (record.acked) {
      this.deps.log.info(`===> Exited worker ${pid}`, 'upgrade');
    } else {
      this.deps.log.info(`===> Exited worker ${pid} before it was ACKed`, 'upgrade');
      this.#countFailedStart(record.version);
    }
    this.deps.hooks.exited(record, exit);
    this.wake();
  }

  #countFailedStart(version: number): void {
    this.state.consecutiveDeathsBeforeAck++;
    const { maxFailedStarts } = this.state.config;
    const failed = this.state.consecutiveDeathsBeforeAck;
    if (maxFailedStarts === 0 || failed < maxFailedStarts) return;
    if (version !== this.state.version || this.state.versionEverAcked || this.state.halted) return;
    this.state.halted = { version, failedStarts: failed, at: Date.now() };
    this.dispose();
    this.deps.log.error(
      `Circuit breaker: ${failed} workers of version ${version} in a row died before ACKing and none ever ACKed, so version ${version} is no longer spawned. Running workers are kept; fix the program and run "upgrade" to try again.`,
      'upgrade',
    );
    this.deps.hooks.halted(version, failed);
  }

  /** Marks a worker ACKed (einhorn's `register_ack`, after the caller checked the ACK mode). */
  markAcked(record: WorkerRecord, kind: 'manual' | 'timer'): void {
    const streak = this.state.consecutiveDeathsBeforeAck;
    this.state.consecutiveDeathsBeforeAck = 0;
    record.acked = true;
    record.ackedMono = monoNow();
    if (record.version === this.state.version) this.state.versionEverAcked = true;
    const extra =
      streak > 0 ? `, breaking the streak of ${streak} consecutive unacked process deaths` : '';
    if (kind === 'manual') this.deps.log.info(`Received a manual ACK from ${record.pid}`);
    else {
      const seconds =
        this.state.config.ack.mode === 'timer' ? this.state.config.ack.afterMs / 1000 : 0;
      this.deps.log.info(
        `Worker ${record.pid} has been up for ${seconds}s, so we are considering it alive.`,
      );
    }
    this.deps.log.info(
      `Up to ${this.pool.ackCount(this.state.version)} / ${this.state.config.target} ${kind} ACKs${extra}`,
    );
    this.deps.hooks.acked(record);
    this.wake();
  }
}
