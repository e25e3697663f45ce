import type { ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { EinhornMasterError } from '@einhorn/core';
import type { EnvSource } from '@einhorn/core';
import type { LogBus } from '../log/log-bus.ts';
import type { ResolvedMasterOptions } from '../options.ts';
import type { WorkerPool, WorkerRecord } from '../supervisor/worker-pool.ts';
import type { WorkerExit } from '../types.ts';
import { childFdLayout, spawnWorkerProcess } from './spawn-worker.ts';
import { buildWorkerEnv } from './worker-env.ts';
import { monoNow } from '../internal/clock.ts';

/** Everything the launcher needs; fixed for the master's life. */
export interface LauncherConfig {
  /** Absolute program path from `which`. */
  readonly file: string;
  readonly args: readonly string[];
  readonly cwd: string;
  /** The environment of the current generation (read at every spawn). */
  readonly env: () => EnvSource;
  /** `setpriv` for the kernel parent-death signal (`-k`), when available. */
  readonly pdeathsig: { readonly helper: string; readonly signal: NodeJS.Signals } | undefined;
  readonly legacyFds: boolean;
  readonly masterPid: number;
  readonly sockPath: string;
  readonly commandSocketAsFd: boolean;
  /** Reuseport slots (0 when there is no reuseport socket). */
  readonly slots: number;
  /** The master's listener fds for a slot, in `-b` order. */
  readonly fdsForSlot: (slot: number | undefined) => number[];
}

/** The launcher settings for resolved master options, the `which` result and the held listeners. */
export function launcherConfigFrom(
  options: ResolvedMasterOptions,
  file: string,
  extra: {
    readonly listeners: { readonly slots: number; fdsForSlot(slot: number | undefined): number[] };
    readonly env: () => EnvSource;
    readonly pdeathsigHelper: string | undefined;
  },
): LauncherConfig {
  const { listeners } = extra;
  return {
    file,
    args: options.args,
    cwd: options.cwd,
    env: extra.env,
    pdeathsig:
      extra.pdeathsigHelper === undefined
        ? undefined
        : { helper: extra.pdeathsigHelper, signal: options.shutdownSignal },
    legacyFds: options.legacyFdsEnv,
    masterPid: process.pid,
    sockPath: options.commandSocketPath,
    commandSocketAsFd: options.commandSocketAsFd,
    slots: listeners.slots,
    fdsForSlot: (slot) => listeners.fdsForSlot(slot),
  };
}

/** Callbacks into the master. */
export interface LauncherHooks {
  spawned(record: WorkerRecord): void;
  exited(pid: number, exit: WorkerExit): void;
  failed(error: EinhornMasterError): void;
}

function spawnError(file: string, cause: unknown): EinhornMasterError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new EinhornMasterError(
    'ERR_EINHORN_SPAWN_FAILED',
    `Could not spawn ${file}: ${reason}; check that it still exists and is executable.`,
    { cause, details: { file } },
  );
}

/** A live connection to our own command socket, handed to the worker as `EINHORN_SOCK_FD` (`-g`; fixes P1). */
function commandSocketClient(path: string): Socket {
  const socket = connect(path);
  socket.on('error', () => undefined);
  return socket;
}

/** Returns the supervisor's `launch` hook: spawns one worker and records it. */
export function createLauncher(
  config: LauncherConfig,
  deps: { readonly pool: WorkerPool; readonly log: LogBus; readonly hooks: LauncherHooks },
): (plan: { readonly index: number; readonly version: number }) => WorkerRecord | undefined {
  return (plan) => {
    const slot = config.slots > 0 ? deps.pool.nextSlot(plan.version, config.slots) : undefined;
    const listenerFds = config.fdsForSlot(slot);
    const layout = childFdLayout(listenerFds.length, config.commandSocketAsFd);
    const env = buildWorkerEnv({
      base: config.env(),
      masterPid: config.masterPid,
      sockPath: config.sockPath,
      fds: layout.fds,
      ...(layout.sockFd === undefined ? {} : { sockFd: layout.sockFd }),
      childIndex: plan.index,
      legacyFds: config.legacyFds,
    });
    const socket = config.commandSocketAsFd ? commandSocketClient(config.sockPath) : undefined;
    let child: ChildProcess;
    try {
      child = spawnWorkerProcess({
        file: config.file,
        args: config.args,
        cwd: config.cwd,
        env,
        listenerFds,
        ...(socket ? { commandSocket: socket } : {}),
        ...(config.pdeathsig ? { pdeathsig: config.pdeathsig } : {}),
      });
    } catch (error) {
      deps.hooks.failed(spawnError(config.file, error));
      return undefined;
    } finally {
      // The child has its own copy of the connection now; the master's end is not needed.
      socket?.destroy();
    }
    const pid = child.pid;
    if (pid === undefined) {
      child.once('error', (error) => {
        deps.hooks.failed(spawnError(config.file, error));
      });
      return undefined;
    }
    child.on('error', () => undefined);
    const now = Date.now();
    const record: WorkerRecord = {
      pid,
      index: plan.index,
      version: plan.version,
      slot,
      spawnedAt: now,
      spawnedMono: monoNow(),
      acked: false,
      signaled: new Set(),
      timers: new Set(),
    };
    deps.pool.add(record);
    deps.log.info(`===> Launched ${pid} (index: ${plan.index})`, 'upgrade');
    child.once('exit', (code, signal) => {
      deps.hooks.exited(pid, { code, signal });
    });
    deps.hooks.spawned(record);
    return record;
  };
}
