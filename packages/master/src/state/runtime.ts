import type { ResolvedAck } from '../options.ts';

/** Settings that `config`, `inc`, `dec` and `set_workers` may change at run time. */
export interface RuntimeConfig {
  /** Target worker count (einhorn's `config[:number]`). */
  target: number;
  /** Base spawn interval (`-s`), ms. */
  secondsMs: number;
  /** Backoff cap, ms. */
  maxSpinupMs: number;
  maxUnacked: number;
  maxUpgradeAdditional: number | undefined;
  /** SIGKILL this long after a recorded signal; 0 never. */
  killTimeoutMs: number;
  pingTimeoutMs: number;
  maxFailedStarts: number;
  readonly ack: ResolvedAck;
  readonly shutdownSignal: NodeJS.Signals;
}

/** The master's mutable state (einhorn's `State`, minus what lives in the worker pool). */
export interface RuntimeState {
  readonly config: RuntimeConfig;
  version: number;
  generation: number;
  upgrading: boolean;
  smoothUpgrade: boolean;
  /** Version the running upgrade started from. */
  upgradeFromVersion: number;
  /**
   * Set while an upgrade (`'upgrade'`, einhorn's `reloading_for_upgrade`) or a `reload` prepares
   * the next generation; nothing is spawned meanwhile, as nothing is while einhorn re-execs.
   */
  reloading: 'upgrade' | 'reload' | undefined;
  /** False once stopping: nothing is respawned and upgrades are refused. */
  respawn: boolean;
  /** Monotonic ms of the last spawn; undefined before the first start. */
  lastSpinupMono: number | undefined;
  /** The last spawn's start as epoch ms (microsecond fraction): the spawned worker's own start time, as in einhorn. */
  lastSpinupAt: number | undefined;
  consecutiveDeathsBeforeAck: number;
  /** Whether any worker of the current version has ever ACKed (the circuit breaker spares such versions). */
  versionEverAcked: boolean;
  /** Set by the circuit breaker: this version is no longer spawned. */
  halted:
    { readonly version: number; readonly failedStarts: number; readonly at?: number } | undefined;
  /** Epoch ms of the last completed upgrade. */
  lastUpgradedAt: number | undefined;
}

/** A fresh state for a master about to start. */
export function createRuntimeState(config: RuntimeConfig): RuntimeState {
  return {
    config,
    version: 0,
    generation: 0,
    upgrading: false,
    smoothUpgrade: false,
    upgradeFromVersion: 0,
    reloading: undefined,
    respawn: true,
    lastSpinupMono: undefined,
    lastSpinupAt: undefined,
    consecutiveDeathsBeforeAck: 0,
    versionEverAcked: false,
    halted: undefined,
    lastUpgradedAt: undefined,
  };
}

/** The run-time settings of freshly resolved options. */
export function runtimeConfigFrom(options: {
  readonly workers: number;
  readonly respawnBackoff: { readonly minMs: number; readonly maxMs: number };
  readonly maxUnacked: number;
  readonly maxUpgradeAdditional: number | undefined;
  readonly killTimeoutMs: number;
  readonly pingTimeoutMs: number;
  readonly maxFailedStarts: number;
  readonly ack: ResolvedAck;
  readonly shutdownSignal: NodeJS.Signals;
}): RuntimeConfig {
  return {
    target: options.workers,
    secondsMs: options.respawnBackoff.minMs,
    maxSpinupMs: options.respawnBackoff.maxMs,
    maxUnacked: options.maxUnacked,
    maxUpgradeAdditional: options.maxUpgradeAdditional,
    killTimeoutMs: options.killTimeoutMs,
    pingTimeoutMs: options.pingTimeoutMs,
    maxFailedStarts: options.maxFailedStarts,
    ack: options.ack,
    shutdownSignal: options.shutdownSignal,
  };
}
