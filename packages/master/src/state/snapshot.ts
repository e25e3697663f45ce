import type { WorkerPool, WorkerRecord } from '../supervisor/worker-pool.ts';
import { toWorkerInfo } from '../supervisor/worker-pool.ts';
import type { MasterState } from '../types.ts';
import type { ResolvedMasterOptions } from '../options.ts';
import type { RuntimeState } from './runtime.ts';
import { EINHORN_NODE_VERSION } from './version.ts';

/** Facts the snapshots need besides the runtime state and the pool. */
export interface SnapshotSources {
  readonly pid: number;
  readonly state: RuntimeState;
  readonly pool: WorkerPool;
  readonly boundPorts: readonly number[];
  /** The master's listening fds, in `-b` order (einhorn's `bind_fds`). */
  readonly bindFds: readonly number[];
  readonly options: ResolvedMasterOptions;
  readonly verbosity: number;
  readonly commandSocketPath: string;
}

const iso = (ms: number | undefined): string | null =>
  ms === undefined ? null : new Date(ms).toISOString();

function child(record: WorkerRecord): Record<string, unknown> {
  return {
    type: 'worker',
    pid: record.pid,
    version: record.version,
    acked: record.acked,
    index: record.index,
    slot: record.slot ?? null,
    spinup_time: iso(record.spawnedAt),
    signaled: [...record.signaled],
    pinged_at: iso(record.pingedAt),
    pinged_request_id: record.pingedRequestId ?? null,
  };
}

/**
 * The `state` command's JSON document (`"format": "json"`): einhorn's field names (snake_case,
 * `children` keyed by pid) as plain JSON, plus einhorn-node's own fields. The default reply is
 * einhorn's YAML (`toRubyState`).
 */
export function toEinhornState(sources: SnapshotSources): Record<string, unknown> {
  const { state, pool } = sources;
  const { config } = state;
  return {
    master_pid: sources.pid,
    einhorn_node_version: EINHORN_NODE_VERSION,
    version: state.version,
    generation: state.generation,
    upgrading: state.upgrading,
    smooth_upgrade: state.smoothUpgrade,
    respawn: state.respawn,
    verbosity: sources.verbosity,
    socket_path: sources.commandSocketPath,
    bound_ports: [...sources.boundPorts],
    consecutive_deaths_before_ack: state.consecutiveDeathsBeforeAck,
    last_upgraded: iso(state.lastUpgradedAt),
    halted: state.halted
      ? { version: state.halted.version, failed_starts: state.halted.failedStarts }
      : null,
    config: {
      number: config.target,
      seconds: config.secondsMs / 1000,
      ack_mode:
        config.ack.mode === 'timer'
          ? { type: 'timer', timeout: config.ack.afterMs / 1000 }
          : { type: 'manual', timeout: config.ack.timeoutMs / 1000 },
      max_unacked: config.maxUnacked,
      max_upgrade_additional: config.maxUpgradeAdditional ?? null,
      signal_timeout: config.killTimeoutMs === 0 ? null : config.killTimeoutMs / 1000,
      ping_timeout: config.pingTimeoutMs === 0 ? null : config.pingTimeoutMs / 1000,
      max_failed_starts: config.maxFailedStarts,
      shutdown_signal: config.shutdownSignal,
    },
    children: Object.fromEntries(pool.all().map((record) => [String(record.pid), child(record)])),
  };
}

/** The programmatic `master.state` snapshot. */
export function toMasterState(sources: SnapshotSources): MasterState {
  const { state } = sources;
  return {
    pid: sources.pid,
    version: state.version,
    generation: state.generation,
    upgrading: state.upgrading,
    workersTarget: state.config.target,
    boundPorts: [...sources.boundPorts],
    workers: sources.pool.all().map(toWorkerInfo),
    respawn: state.respawn,
    consecutiveDeathsBeforeAck: state.consecutiveDeathsBeforeAck,
    ...(state.halted
      ? { halted: { version: state.halted.version, failedStarts: state.halted.failedStarts } }
      : {}),
  };
}
