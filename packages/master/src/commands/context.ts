import type { LogBus } from '../log/log-bus.ts';
import type { RuntimeState } from '../state/runtime.ts';
import type { AckTracker } from '../supervisor/acks.ts';
import type { Runtime } from '../runtime.ts';
import type { WorkerPool } from '../supervisor/worker-pool.ts';
import type {
  UpgradeController,
  UpgradeMode,
  UpgradeWaiter,
} from '../upgrade/upgrade-controller.ts';

/** What the command dispatcher may read and do; implemented by the master. */
export interface CommandContext {
  readonly pid: number;
  /** `-c NAME`, shown by `ehlo`. */
  readonly name: string | undefined;
  readonly log: LogBus;
  readonly state: RuntimeState;
  readonly pool: WorkerPool;
  readonly acks: AckTracker;
  readonly upgrades: UpgradeController;
  /** JSON-ready `state` document (`"format": "json"`). */
  snapshot(): unknown;
  /** The `state` document as einhorn writes it: Psych YAML of Symbol-keyed Ruby values. */
  stateYaml(): string;
  /** Sets the target count (already validated) and wakes the loop. */
  setTarget(count: number): void;
  /** Smallest count `dec`/`set_workers` may go to (reuseport slots), or 1. */
  readonly minWorkers: number;
  /** Sends `signal` to every worker; recorded signals count for culling and the kill timeout. */
  signalAll(signal: NodeJS.Signals, record: boolean): void;
  /** Requests an upgrade; `waiter` hears how it ends, also when it cannot start. */
  upgrade(mode: UpgradeMode, waiter?: UpgradeWaiter): void;
  /** `die`: signal every worker, stop respawning, stop once they are gone. */
  die(signal: NodeJS.Signals): void;
  /** `reload`: checks and adopts the next generation's environment; the master never re-execs. */
  reload(): void;
  /** Re-applies settings changed by `config` (timers, loop). */
  configChanged(): void;
}

/** The parts of the command context only the master object can provide. */
export type MasterCommandHooks = Pick<
  CommandContext,
  'pid' | 'name' | 'minWorkers' | 'snapshot' | 'stateYaml' | 'setTarget' | 'signalAll' | 'die'
>;

/** Assembles the dispatcher's view of a master from its runtime and the master's own hooks. */
export function buildCommandContext(runtime: Runtime, hooks: MasterCommandHooks): CommandContext {
  const { log, state, pool, acks, upgrades, supervisor } = runtime;
  return {
    ...hooks,
    log,
    state,
    pool,
    acks,
    upgrades,
    upgrade: (mode, waiter) => {
      upgrades.request(mode, waiter);
    },
    reload: () => {
      void upgrades.reload().then((outcome) => {
        if (outcome.ok)
          log.info(
            `Reloaded: einhorn-node keeps its pid, sockets and workers; new workers get the next generation's environment; generation is now ${state.generation}.`,
          );
        else log.error(outcome.reason);
      });
    },
    configChanged: () => {
      supervisor.wake();
    },
  };
}
