import { EventEmitter } from 'node:events';
import { EinhornError } from '@einhorn/core';
import { buildCommandContext } from './commands/context.ts';
import type { CommandContext } from './commands/context.ts';
import { createCommandDispatcher } from './commands/dispatcher.ts';
import { MAX_WORKERS } from './commands/worker-count.ts';
import { resolveMasterOptions } from './options.ts';
import type { ResolvedMasterOptions } from './options.ts';
import { reusePortSlots } from './resources.ts';
import type { MasterResources } from './resources.ts';
import { createCachedDump } from './psych/cached-dump.ts';
import { toRubyState } from './state/ruby-snapshot.ts';
import { toEinhornState, toMasterState } from './state/snapshot.ts';
import type { SnapshotSources } from './state/snapshot.ts';
import { createRuntime } from './runtime.ts';
import type { Runtime } from './runtime.ts';
import { startUp } from './start-up.ts';
import type { StartedMaster } from './start-up.ts';
import { signalWorkers } from './supervisor/signaling.ts';
import { toWorkerInfo } from './supervisor/worker-pool.ts';
import type {
  Master,
  MasterEvents,
  MasterOptions,
  MasterState,
  StopOptions,
  UpgradeResult,
} from './types.ts';
import type { UpgradeMode } from './upgrade/upgrade-controller.ts';

type Phase = 'new' | 'starting' | 'running' | 'stopping' | 'closed';

class EinhornMaster extends EventEmitter<MasterEvents> implements Master {
  readonly closed: Promise<void>;
  readonly #options: ResolvedMasterOptions;
  readonly #runtime: Runtime;
  readonly #minWorkers: number;
  #resources: MasterResources | undefined;
  #phase: Phase = 'new';
  #pendingStop: StopOptions | undefined;
  #resolveClosed: () => void = () => undefined;
  readonly #dumpState = createCachedDump();

  constructor(options: ResolvedMasterOptions) {
    super();
    this.#options = options;
    this.#minWorkers = Math.max(1, reusePortSlots(options));
    this.closed = new Promise((resolve) => (this.#resolveClosed = resolve));
    this.#runtime = createRuntime(options, {
      spawned: (record) => this.emit('worker:spawn', toWorkerInfo(record)),
      acked: (record) => this.emit('worker:ack', toWorkerInfo(record)),
      exited: (record, exit) => {
        this.emit('worker:exit', toWorkerInfo(record), exit);
        if (this.#phase === 'stopping' && this.#runtime.pool.size === 0) void this.#finish();
      },
      fault: (error) => {
        if (this.listenerCount('error') > 0) this.emit('error', error);
      },
      upgraded: (result) => this.emit('upgrade:done', result),
    });
  }

  get state(): MasterState {
    return toMasterState(this.#sources());
  }

  async start(): Promise<void> {
    if (this.#phase !== 'new') {
      throw new EinhornError(
        'ERR_EINHORN_INVALID_OPTIONS',
        `Expected start() on a new master, but this one is ${this.#phase}; create a new master instead.`,
      );
    }
    this.#phase = 'starting';
    const options = this.#options;
    const { log, supervisor } = this.#runtime;
    let started: StartedMaster;
    try {
      started = await startUp(options, this.#runtime, createCommandDispatcher(this.#context()));
    } catch (error) {
      this.#phase = 'closed';
      this.#resolveClosed();
      throw error;
    }
    const { file, resources, launcher } = started;
    this.#resources = resources;
    this.#runtime.installLauncher(launcher, resources.reaper);
    this.#phase = 'running';
    log.info(`Starting einhorn-node master ${process.pid}: ${[file, ...options.args].join(' ')}`);
    if (this.#pendingStop !== undefined || options.signal?.aborted === true) {
      void this.stop(this.#pendingStop);
      return;
    }
    options.signal?.addEventListener('abort', () => void this.stop(), { once: true });
    supervisor.replenish();
  }

  upgrade(options: { readonly mode?: UpgradeMode } = {}): Promise<UpgradeResult> {
    const { upgrades } = this.#runtime;
    const refusal =
      this.#phase === 'running'
        ? upgrades.refusal()
        : `Not upgrading: the master is ${this.#phase}`;
    return upgrades.run(options.mode ?? 'smooth', refusal);
  }

  setWorkers(count: number): void {
    if (!Number.isInteger(count) || count < this.#minWorkers || count > MAX_WORKERS) {
      throw new EinhornError(
        'ERR_EINHORN_INVALID_OPTIONS',
        `Expected a worker count in [${this.#minWorkers}, ${MAX_WORKERS}], but found ${count}; pass an integer in that range.`,
        { details: { count } },
      );
    }
    const old = this.#runtime.state.config.target;
    if (count === old) return;
    this.#runtime.log.info(
      `Altering worker count, ${old} -> ${count}. Will ${old < count ? 'spin up additional workers.' : 'gracefully terminate workers.'}`,
    );
    this.#setTarget(count);
  }

  stop(options: StopOptions = {}): Promise<void> {
    const { state, pool, supervisor, upgrades, log } = this.#runtime;
    const signal = options.signal ?? state.config.shutdownSignal;
    if (this.#phase === 'new') {
      this.#phase = 'closed';
      this.#resolveClosed();
    }
    if (this.#phase === 'starting') this.#pendingStop = options;
    if (this.#phase === 'closed' || this.#phase === 'starting') return this.closed;
    this.#phase = 'stopping';
    state.respawn = false;
    supervisor.dispose();
    upgrades.fail('Upgrade aborted: the master is shutting down');
    this.#signalAll(signal, true);
    if (options.timeoutMs !== undefined && options.timeoutMs > 0) {
      setTimeout(() => {
        this.#signalAll('SIGKILL', true);
      }, options.timeoutMs).unref();
    }
    if (options.wait === false) {
      const left = pool.all().map((record) => record.pid);
      if (left.length > 0)
        log.error(
          `Exiting without waiting for workers [${left.join(', ')}]; they got ${signal} and are no longer supervised.`,
        );
      void this.#finish();
    } else if (pool.size === 0) {
      void this.#finish();
    }
    return this.closed;
  }

  async #finish(): Promise<void> {
    if (this.#phase === 'closed') return;
    this.#phase = 'closed';
    this.#runtime.supervisor.dispose();
    // Let replies already queued (e.g. `die`'s) reach their sockets before the server closes.
    await new Promise((resolve) => setImmediate(resolve));
    try {
      await this.#resources?.close();
    } finally {
      this.#resolveClosed();
    }
  }

  #signalAll(signal: NodeJS.Signals, record: boolean): void {
    const { pool, log, state } = this.#runtime;
    if (pool.size === 0) return;
    signalWorkers({ pool, log, killTimeoutMs: state.config.killTimeoutMs }, pool.all(), {
      signal,
      record,
    });
  }

  #setTarget(count: number): void {
    this.#runtime.state.config.target = count;
    this.#runtime.supervisor.wake();
  }

  #sources(): SnapshotSources {
    const { state, pool, log } = this.#runtime;
    return {
      pid: process.pid,
      state,
      pool,
      boundPorts: this.#resources?.listeners.listeners.map((listener) => listener.port) ?? [],
      bindFds: this.#resources?.listeners.fdsForSlot(undefined) ?? [],
      options: this.#options,
      verbosity: log.verbosity,
      commandSocketPath: this.#options.commandSocketPath,
    };
  }

  #context(): CommandContext {
    return buildCommandContext(this.#runtime, {
      pid: process.pid,
      name: this.#options.name,
      minWorkers: this.#minWorkers,
      snapshot: () => toEinhornState(this.#sources()),
      stateYaml: () => this.#dumpState(toRubyState(this.#sources())),
      setTarget: (count) => {
        this.#setTarget(count);
      },
      signalAll: (signal, record) => {
        this.#signalAll(signal, record);
      },
      die: (signal) => {
        void this.stop({ signal });
      },
    });
  }
}

/**
 * Creates an Einhorn master: it binds the `bind` sockets once and holds them without ever
 * accepting, serves the command socket, spawns and supervises `workers` copies of `command`,
 * and runs smooth and fleet upgrades. Nothing happens until `start()`.
 *
 * @param options - What to run and how; see {@link MasterOptions}.
 * @returns The master, an EventEmitter of {@link MasterEvents}.
 * @throws EinhornError ERR_EINHORN_INVALID_OPTIONS; EinhornMasterError ERR_EINHORN_BIND_INVALID
 *   (synchronously, for malformed options). `start()` rejects with ERR_EINHORN_SPAWN_FAILED,
 *   ERR_EINHORN_BIND_FAILED, ERR_EINHORN_REUSEPORT_UNSUPPORTED, ERR_EINHORN_COMMAND_SOCKET_IN_USE
 *   or ERR_EINHORN_COMMAND_SOCKET_INVALID.
 * @example
 * ```ts
 * import { createMaster } from '@einhorn/master';
 *
 * const master = createMaster({ command: 'node', args: ['server.js'], bind: ['127.0.0.1:8080'], workers: 2, ack: { mode: 'manual', timeoutMs: 30_000 } });
 * master.on('worker:ack', (worker) => logger.info('up', worker.pid));
 * await master.start();
 * await master.upgrade();
 * await master.stop();
 * ```
 */
export function createMaster(options: MasterOptions): Master {
  return new EinhornMaster(resolveMasterOptions(options));
}
