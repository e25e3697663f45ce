import { EinhornMasterError } from '@einhorn/core';
import { publishAck, publishExit, publishSpawn, publishUpgrade } from './log/channels.ts';
import { createLogBus } from './log/log-bus.ts';
import type { Reaper } from './signals/reaper.ts';
import { createLauncher } from './spawn/launcher.ts';
import type { LauncherConfig } from './spawn/launcher.ts';
import type { LogBus } from './log/log-bus.ts';
import type { ResolvedMasterOptions } from './options.ts';
import { createRuntimeState, runtimeConfigFrom } from './state/runtime.ts';
import type { RuntimeState } from './state/runtime.ts';
import type { UpgradeResult, WorkerExit } from './types.ts';
import { GenerationEnv } from './upgrade/generation-env.ts';
import { nextGenerationPlanner } from './upgrade/next-generation.ts';
import { UpgradeController } from './upgrade/upgrade-controller.ts';
import { AckTracker } from './supervisor/acks.ts';
import { Supervisor } from './supervisor/supervisor.ts';
import type { WorkerRecord } from './supervisor/worker-pool.ts';
import { toWorkerInfo, WorkerPool } from './supervisor/worker-pool.ts';

/** What the runtime reports to the master (which turns it into events). */
export interface RuntimeEvents {
  spawned(record: WorkerRecord): void;
  acked(record: WorkerRecord): void;
  exited(record: WorkerRecord, exit: WorkerExit): void;
  fault(error: EinhornMasterError): void;
  upgraded(result: UpgradeResult): void;
}

/** The supervision machinery of one master, wired together. */
export interface Runtime {
  readonly log: LogBus;
  readonly state: RuntimeState;
  readonly pool: WorkerPool;
  readonly supervisor: Supervisor;
  readonly acks: AckTracker;
  readonly upgrades: UpgradeController;
  /** The environment of each generation of workers, as einhorn's re-exec would compute it. */
  readonly generationEnv: GenerationEnv;
  /** Installs the spawner once the sockets are bound; the `-k` reaper learns every worker pid. */
  installLauncher(config: LauncherConfig, reaper: Reaper | undefined): void;
}

/** Also publishes every event on the master's diagnostics channels. */
function withChannels(events: RuntimeEvents): RuntimeEvents {
  return {
    spawned: (record) => {
      publishSpawn(toWorkerInfo(record));
      events.spawned(record);
    },
    acked: (record) => {
      publishAck(toWorkerInfo(record));
      events.acked(record);
    },
    exited: (record, exit) => {
      publishExit(toWorkerInfo(record), exit);
      events.exited(record, exit);
    },
    fault: (error) => {
      events.fault(error);
    },
    upgraded: (result) => {
      publishUpgrade(result);
      events.upgraded(result);
    },
  };
}

/** Builds the log, state, worker pool, supervisor loop, ACK tracker and upgrade controller. */
export function createRuntime(options: ResolvedMasterOptions, observer: RuntimeEvents): Runtime {
  const events = withChannels(observer);
  const log = createLogBus(options.logger, options.verbosity);
  const state = createRuntimeState(runtimeConfigFrom(options));
  const pool = new WorkerPool();
  const generationEnv = new GenerationEnv(options.env, options.dropEnv);
  let launch: ReturnType<typeof createLauncher> | undefined;
  let reaper: Reaper | undefined;
  const supervisor: Supervisor = new Supervisor(pool, state, {
    log,
    hooks: {
      launch: (plan) => launch?.(plan),
      upgradeDone: () => {
        upgrades.finish();
      },
      halted: (version, failedStarts) => {
        const details = { version, failedStarts };
        if (state.upgrading) {
          const reason = `Upgrade failed: ${failedStarts} workers of version ${version} died before ACKing; the old workers are kept. Fix the program and upgrade again.`;
          upgrades.fail(reason);
          events.fault(new EinhornMasterError('ERR_EINHORN_UPGRADE_FAILED', reason, { details }));
          return;
        }
        events.fault(
          new EinhornMasterError(
            'ERR_EINHORN_SPAWN_FAILED',
            `Expected workers of version ${version} to ACK, but ${failedStarts} in a row died first and none ever ACKed; it is no longer spawned. Fix the program and run upgrade.`,
            { details },
          ),
        );
      },
      exited: (record, exit) => {
        reaper?.remove(record.pid);
        events.exited(record, exit);
      },
      acked: (record) => {
        events.acked(record);
      },
    },
  });
  const acks = new AckTracker(pool, state, {
    supervisor,
    log,
    faults: {
      ackTimedOut: (record, timeoutMs) => {
        events.fault(
          new EinhornMasterError(
            'ERR_EINHORN_WORKER_ACK_TIMEOUT',
            `Worker ${record.pid} did not ACK within ${timeoutMs} ms; it was killed and counted as a failed start.`,
            { details: { pid: record.pid, timeoutMs } },
          ),
        );
      },
    },
  });
  const upgrades = new UpgradeController(state, pool, {
    supervisor,
    log,
    finished: (result) => {
      events.upgraded(result);
    },
    prepare: nextGenerationPlanner({
      env: generationEnv,
      reexecCommand: options.reexecCommand,
      program: [options.command, ...options.args],
      cwd: options.cwd,
      log,
    }),
  });
  return {
    log,
    state,
    pool,
    supervisor,
    acks,
    upgrades,
    generationEnv,
    installLauncher: (config, withReaper) => {
      reaper = withReaper;
      launch = createLauncher(config, {
        pool,
        log,
        hooks: {
          spawned: (record) => {
            reaper?.add(record.pid);
            acks.armSpawnTimers(record);
            events.spawned(record);
          },
          exited: (pid, exit) => {
            supervisor.handleExit(pid, exit);
          },
          failed: (error) => {
            log.error(error.message, 'upgrade');
            events.fault(error);
          },
        },
      });
    },
  };
}
