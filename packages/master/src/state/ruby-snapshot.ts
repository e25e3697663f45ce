import { RubyFloat, RubySet, RubySymbol, RubyTime, symbolHash } from '../psych/ruby-value.ts';
import type { RubyKey, RubyValue } from '../psych/ruby-value.ts';
import type { WorkerRecord } from '../supervisor/worker-pool.ts';
import type { SnapshotSources } from './snapshot.ts';
import { EINHORN_NODE_VERSION } from './version.ts';
import { wallFromMono } from '../internal/clock.ts';

/** Seconds as einhorn keeps them: an Integer when whole (its defaults), else a Float. */
const seconds = (ms: number): number | RubyFloat =>
  Number.isInteger(ms / 1000) ? ms / 1000 : new RubyFloat(ms / 1000);

/** One `RubyTime` per instant, so that equal instants are one object and dump as `&1`/`*1` (einhorn's `last_spinup` is the last child's `spinup_time`). */
function timeFactory(): (epochMs: number | undefined) => RubyTime | null {
  const times = new Map<number, RubyTime>();
  return (epochMs) => {
    if (epochMs === undefined) return null;
    let time = times.get(epochMs);
    if (time === undefined) {
      time = new RubyTime(epochMs);
      times.set(epochMs, time);
    }
    return time;
  };
}

const fromMono = (mono: number | undefined): number | undefined =>
  mono === undefined ? undefined : wallFromMono(mono);

function child(record: WorkerRecord, time: ReturnType<typeof timeFactory>): RubyValue {
  return symbolHash({
    type: new RubySymbol('worker'),
    version: record.version,
    acked: record.acked,
    signaled: new RubySet([...record.signaled].map((name) => name.replace(/^SIG/, ''))),
    last_signaled_at: time(fromMono(record.lastSignaledMono)),
    index: record.index,
    spinup_time: time(fromMono(record.spawnedMono)),
    ...(record.pingedMono === undefined ? {} : { pinged_at: time(fromMono(record.pingedMono)) }),
    ...(record.pingedRequestId === undefined ? {} : { pinged_request_id: record.pingedRequestId }),
    ...(record.slot === undefined ? {} : { slot: record.slot }),
  });
}

/**
 * The `state` document as einhorn 1.1.1 builds it (`{state: State.dumpable_state}`, PROTOCOL
 * Appendix A): every einhorn field, in einhorn's order and with einhorn's Ruby types, then
 * einhorn-node's own fields as extra keys (`master_pid`, `einhorn_node_version`,
 * `circuit_breaker`, and the run-time settings einhorn has no key for). Objects are shared only
 * between equal instants (one `RubyTime` each), so equal documents dump to equal text
 * (`createCachedDump` relies on it).
 */
export function toRubyState(sources: SnapshotSources): RubyValue {
  const { state, pool, options } = sources;
  const { config } = state;
  const time = timeFactory();
  const records = pool.all();
  const children = new Map<RubyKey, RubyValue>(records.map((r) => [r.pid, child(r, time)]));
  const cmd = [options.command, ...options.args];
  const halted = state.halted;
  return symbolHash({
    state: symbolHash({
      children,
      config: symbolHash({
        number: config.target,
        backlog: options.backlog,
        seconds: seconds(config.secondsMs),
      }),
      versions: new Map(),
      version: state.version,
      sockets: new Map(),
      orig_cmd: cmd,
      bind: options.binds.map((bind) =>
        bind.kind === 'tcp' ? [bind.host, bind.port, [...bind.flags]] : [bind.path, null, []],
      ),
      bind_fds: [...sources.bindFds],
      bound_ports: [...sources.boundPorts],
      cmd: [...cmd],
      script_name: null,
      respawn: state.respawn,
      upgrading: state.upgrading,
      smooth_upgrade: state.smoothUpgrade,
      reloading_for_upgrade: false,
      path: null,
      cmd_name: options.name ?? null,
      verbosity: sources.verbosity,
      generation: state.generation,
      last_spinup: time(state.lastSpinupAt),
      ack_mode:
        config.ack.mode === 'timer'
          ? symbolHash({
              type: new RubySymbol('timer'),
              timeout: new RubyFloat(config.ack.afterMs / 1000),
            })
          : symbolHash({ type: new RubySymbol('manual') }),
      kill_children_on_exit: options.killWorkersOnExit,
      command_socket_as_fd: options.commandSocketAsFd,
      socket_path: sources.commandSocketPath,
      pidfile: options.pidfilePath === false ? null : options.pidfilePath,
      lockfile: options.lockfilePath ?? null,
      consecutive_deaths_before_ack: state.consecutiveDeathsBeforeAck,
      last_upgraded: time(state.lastUpgradedAt),
      nice: symbolHash({ master: null, worker: null, renice_cmd: '/usr/bin/renice' }),
      reexec_commandline: null,
      drop_environment_variables: [...options.dropEnv],
      signal_timeout: config.killTimeoutMs === 0 ? null : seconds(config.killTimeoutMs),
      preloaded: false,
      master_pid: sources.pid,
      einhorn_node_version: EINHORN_NODE_VERSION,
      circuit_breaker: symbolHash({
        tripped: halted !== undefined,
        since: time(halted?.at),
        version: halted?.version ?? null,
        failed_starts: halted?.failedStarts ?? null,
        reason:
          halted === undefined
            ? null
            : `${halted.failedStarts} workers of version ${halted.version} in a row died before ACKing; version ${halted.version} is no longer spawned until the next upgrade.`,
      }),
      manual_ack_timeout:
        config.ack.mode === 'manual' && config.ack.timeoutMs > 0
          ? new RubyFloat(config.ack.timeoutMs / 1000)
          : null,
      max_unacked: config.maxUnacked,
      max_upgrade_additional: config.maxUpgradeAdditional ?? null,
      ping_timeout: config.pingTimeoutMs === 0 ? null : new RubyFloat(config.pingTimeoutMs / 1000),
      max_failed_starts: config.maxFailedStarts,
      shutdown_signal: config.shutdownSignal.replace(/^SIG/, ''),
    }),
  });
}
