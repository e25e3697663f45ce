import type { WorkerPool, WorkerRecord } from './worker-pool.ts';

/** einhorn's MAX_SPINUP_INTERVAL. */
export const MAX_SPINUP_INTERVAL_MS = 30_000;

/**
 * einhorn's backoff (command.rb:592-595): `min(seconds·1.5^deaths, 30 s)`, where `deaths` counts
 * consecutive worker deaths before ACK (reset by any ACK and at each upgrade start).
 */
export function spinupIntervalMs(
  baseMs: number,
  deaths: number,
  maxMs: number = MAX_SPINUP_INTERVAL_MS,
): number {
  return Math.min(baseMs * 1.5 ** deaths, maxMs);
}

/** The bounds that gate gradual spawning. */
export interface SpinupLimits {
  readonly target: number;
  readonly maxUnacked: number;
  /** Extra workers allowed above `target`; undefined = unlimited. */
  readonly maxUpgradeAdditional: number | undefined;
}

/** Whether one more worker may be spawned now, and why not (einhorn's `trigger_spinup?`). */
export type SpinupDecision =
  { readonly spawn: true } | { readonly spawn: false; readonly reason: string };

/**
 * einhorn's `trigger_spinup?` with P20 fixed: a spawn is allowed only while live workers are
 * below `target + maxUpgradeAdditional`, so the peak is exactly that (einhorn peaks one higher).
 */
export function decideSpinup(
  pool: WorkerPool,
  version: number,
  limits: SpinupLimits,
): SpinupDecision {
  const unacked = pool.unackedUnsignaledModern(version).length;
  if (unacked >= limits.maxUnacked) {
    return {
      spawn: false,
      reason: `There are ${unacked} unacked new workers, and max_unacked is ${limits.maxUnacked}, so not spinning up a new process.`,
    };
  }
  if (limits.maxUpgradeAdditional !== undefined) {
    const capacity = limits.target + limits.maxUpgradeAdditional;
    if (pool.size >= capacity) {
      return {
        spawn: false,
        reason: `At worker capacity (${pool.size} of ${capacity}) during upgrade, ${pool.modern(version).length} new workers of ${pool.size} total. Waiting for old workers to exit before spinning up a process.`,
      };
    }
  }
  return { spawn: true };
}

/** What one cull pass must do, in order (einhorn's `cull`, command.rb:470-506). */
export interface CullPlan {
  /** The upgrade just completed: every new worker is ACKed. */
  readonly finishUpgrade: boolean;
  /** Old-version workers to retire now. */
  readonly retire: readonly WorkerRecord[];
  /**
   * `'all'` (not upgrading: every old worker), `'smooth'` (one per ACKed new worker) or `'room'`
   * (a smooth upgrade at its `max_upgrade_additional` ceiling retires one old worker first).
   */
  readonly retireReason: 'all' | 'smooth' | 'room' | undefined;
  /** Current-version workers above the target, unACKed first. */
  readonly excess: readonly WorkerRecord[];
}

/** The upgrade and target facts a cull pass looks at. */
export interface CullState {
  readonly version: number;
  readonly target: number;
  readonly upgrading: boolean;
  readonly smooth: boolean;
  /** `--max-upgrade-additional`; undefined = unlimited. */
  readonly maxUpgradeAdditional: number | undefined;
}

/**
 * With a `max_upgrade_additional` ceiling (P20 fixed: live workers never exceed target + A), a
 * smooth upgrade whose pool is full of serving workers can only go on by retiring one old worker
 * before spawning its replacement (A = 0 means "replace in place"). Only when nothing is draining
 * and no new worker is still on its way to an ACK, so at most one slot is ever given up at a time.
 */
function needsRoom(pool: WorkerPool, state: CullState, old: readonly WorkerRecord[]): boolean {
  if (state.maxUpgradeAdditional === undefined || old.length === 0) return false;
  if (pool.size < state.target + state.maxUpgradeAdditional) return false;
  if (pool.modern(state.version).length >= state.target) return false;
  if (pool.all().some((record) => record.signaled.size > 0)) return false;
  return pool.unackedUnsignaledModern(state.version).length === 0;
}

/**
 * Orders old workers for retirement: first those whose reuseport slot is already served by an
 * ACKed new worker (so no slot goes unserved), then spawn order, as einhorn does.
 */
function retirementOrder(
  old: readonly WorkerRecord[],
  pool: WorkerPool,
  version: number,
): WorkerRecord[] {
  const covered = new Set(
    pool
      .modern(version)
      .filter((r) => r.acked && r.signaled.size === 0)
      .map((r) => r.slot),
  );
  const first = old.filter((record) => record.slot !== undefined && covered.has(record.slot));
  return [...first, ...old.filter((record) => !first.includes(record))];
}

/** Plans one cull pass. Pure: the caller signals the workers and logs. */
export function planCull(pool: WorkerPool, state: CullState): CullPlan {
  const acked = pool.ackCount(state.version);
  const finishUpgrade = state.upgrading && acked >= state.target;
  const upgrading = state.upgrading && !finishUpgrade;
  const old = pool.old(state.version);
  let retire: WorkerRecord[] = [];
  let retireReason: CullPlan['retireReason'];
  if (!upgrading && old.length > 0) {
    retire = old;
    retireReason = 'all';
  } else if (upgrading && state.smooth) {
    const excess = old.length + acked - state.target;
    if (excess > 0) {
      retire = retirementOrder(old, pool, state.version).slice(0, excess);
      retireReason = 'smooth';
    } else if (needsRoom(pool, state, old)) {
      retire = retirementOrder(old, pool, state.version).slice(0, 1);
      retireReason = 'room';
    }
  }
  const modern = pool.unsignaledModernByCullPriority(state.version);
  const excess = modern.length > state.target ? modern.slice(0, modern.length - state.target) : [];
  return { finishUpgrade, retire, retireReason, excess };
}
