import type { EventEmitter } from 'node:events';
import type { EinhornError, EnvSource } from '@einhorn/core';

/**
 * One listening socket, as `einhorn -b` takes it: `'HOST:PORT[,FLAG...]'`, `'[::1]:PORT'` or a
 * UNIX socket path (`'/run/app.sock'`, `'./app.sock'` or `'unix:PATH'`), or the same as an object.
 * Flags: `r` (SO_REUSEADDR, always on under libuv), `n` (O_NONBLOCK, always on under libuv) and
 * `reuseport` (one SO_REUSEPORT socket per worker slot; Node ≥ 22.12).
 */
export type BindSpec =
  | string
  | {
      /** Host name or IP literal (IPv6 without brackets). */
      readonly host: string;
      /** TCP port; 0 lets the kernel choose (read it back from `state.boundPorts`). */
      readonly port: number;
      /** Accepted for einhorn compatibility: libuv always sets SO_REUSEADDR. @default false */
      readonly reuseAddr?: boolean;
      /** One SO_REUSEPORT socket per worker slot instead of one shared socket. @default false */
      readonly reusePort?: boolean;
    }
  | {
      /** Path of a UNIX stream socket to create (an einhorn-node extension). */
      readonly path: string;
    };

/**
 * When a worker counts as up. `timer`: still alive `afterMs` after spawn (einhorn `-m SECONDS`).
 * `manual`: it sends `worker:ack` on the command socket (einhorn `-m manual`); one that has not
 * ACKed after `timeoutMs` is killed and counted as a failed start (0 = wait forever, like einhorn).
 */
export type AckMode =
  | { readonly mode: 'timer'; readonly afterMs: number }
  | { readonly mode: 'manual'; readonly timeoutMs?: number };

/** Log levels, in einhorn's order (verbosity 0 shows debug, 1 info, 2 only errors). */
export type LogLevel = 'debug' | 'info' | 'error';

/** One log line of the master. */
export interface MasterLogEntry {
  /** Severity. */
  readonly level: LogLevel;
  /** The text, as einhorn would log it (e.g. `===> Launched 123 (index: 0)`). */
  readonly message: string;
  /** `'upgrade'` for lines that are also streamed to `upgrade` clients. */
  readonly tag?: 'upgrade';
  /** When it was logged. */
  readonly time: Date;
}

/** Receives the master's log lines at or above the current verbosity. */
export type MasterLogger = (entry: MasterLogEntry) => void;

/** Options of {@link createMaster}. Every duration is in milliseconds. */
export interface MasterOptions {
  /** The worker program: a path, or a name looked up in `PATH` once at start (like `which`). */
  readonly command: string;
  /** Arguments passed to every worker. @default [] */
  readonly args?: readonly string[];
  /** Listening sockets, bound once at start and held for the master's life (`-b`). @default [] */
  readonly bind?: readonly BindSpec[];
  /** Number of workers to keep up (`-n`), in [1, 1000]. @default 1 */
  readonly workers?: number;
  /** How workers are ACKed (`-m`). @default { mode: 'timer', afterMs: 1000 } */
  readonly ack?: AckMode;
  /** Signal that asks a worker to finish and exit (einhorn's USR2; einhorn issue #71). @default 'SIGUSR2' */
  readonly shutdownSignal?: NodeJS.Signals;
  /** SIGKILL a worker this long after a recorded signal (`-t`); 0 never. @default 0 */
  readonly killTimeoutMs?: number;
  /**
   * Spawn pacing (`-s`): at most one spawn per `minMs·1.5^k`, capped at `maxMs`, where k counts
   * consecutive worker deaths before ACK. @default { minMs: 1000, maxMs: 30000 }
   */
  readonly respawnBackoff?: { readonly minMs: number; readonly maxMs?: number };
  /** Most unACKed new workers at once while spawning gradually (`--max-unacked`). @default os.availableParallelism() */
  readonly maxUnacked?: number;
  /** Extra workers allowed above `workers` during a smooth upgrade (`--max-upgrade-additional`); live workers never exceed workers + this. @default unlimited */
  readonly maxUpgradeAdditional?: number;
  /**
   * systemd socket activation: when `env` has `LISTEN_PID` equal to this process's pid and
   * `LISTEN_FDS`, adopt the passed listening sockets (fds 3…) instead of binding `bind`. Without
   * `bind`, every passed socket is taken in order; with `bind`, one passed socket per entry, in
   * the same order, of the same kind and port. Workers do not see the `LISTEN_*` variables.
   * @default true
   */
  readonly socketActivation?: boolean;
  /** listen() backlog of every socket (`-l`). @default 100 */
  readonly backlog?: number;
  /**
   * The master's start-up environment: the first generation of workers gets it as is (stale copies
   * of the master's own `EINHORN_*` variables removed; the user's other `EINHORN_*` variables kept).
   * @default process.env
   */
  readonly env?: EnvSource;
  /**
   * Variables removed from the environment restored on upgrade (`--drop-env-var`). As in einhorn,
   * the first generation still has them; workers started by an upgrade (and later) do not.
   * @default []
   */
  readonly dropEnv?: readonly string[];
  /**
   * einhorn's `--reexec-as`: the command line that would re-exec the master, as argv. When set,
   * every upgrade (and `reload`) first runs `reexecCommand --upgrade-check -- command args` in the
   * environment einhorn would restore (start-up environment minus `dropEnv`), refuses the upgrade
   * if it exits non-zero, and gives the next generation the environment that process reports
   * (so `['env', 'VAR=b', 'einhorn-node']` gives the next workers `VAR=b`). The master itself is
   * never replaced. The `einhorn-node` CLI always sets it (default: its own command line).
   * @default undefined (no check; the next generation gets `env` minus `dropEnv`)
   */
  readonly reexecCommand?: readonly string[];
  /** Also set the legacy `EINHORN_FDS` ("3 4") for workers written for einhorn ≤ 0.8. @default true */
  readonly legacyFdsEnv?: boolean;
  /** Working directory of workers. @default process.cwd() */
  readonly cwd?: string;
  /** Name shown by `ehlo` and used in default paths (`-c`). @default undefined */
  readonly name?: string;
  /** Command socket path (`-d`), passed verbatim to workers. @default `$TMPDIR/einhorn[-NAME].sock` */
  readonly commandSocketPath?: string;
  /** Pidfile written at start and removed at exit (`-e`); `false` writes none. @default false */
  readonly pidfilePath?: string | false;
  /** Lockfile held while the command socket is created (`-f`). @default undefined (none) */
  readonly lockfilePath?: string;
  /** Give each worker a live connection to the command socket as `EINHORN_SOCK_FD` (`-g`). @default false */
  readonly commandSocketAsFd?: boolean;
  /**
   * Make sure workers get `shutdownSignal` when the master dies, even by SIGKILL (`-k`): a reaper
   * process signals them, and where util-linux `setpriv --pdeathsig` works each worker is exec'd
   * through it so the kernel sends SIGUSR2 as well (einhorn's `PR_SET_PDEATHSIG`). @default false
   */
  readonly killWorkersOnExit?: boolean;
  /** SIGKILL an ACKed worker whose last `worker:ping` is older than this; only workers that ping are watched; 0 off. @default 0 */
  readonly pingTimeoutMs?: number;
  /** Stop spawning a version after this many consecutive deaths before ACK when none of its workers ever ACKed; 0 never. @default 10 */
  readonly maxFailedStarts?: number;
  /** Receives log lines at or above `verbosity`. @default no-op */
  readonly logger?: MasterLogger;
  /** 0 debug, 1 info, 2 errors only (`-v`/`-q`, `louder`/`quieter`). @default 1 */
  readonly verbosity?: 0 | 1 | 2;
  /** Aborting it starts a graceful stop, like `stop()`. @default undefined */
  readonly signal?: AbortSignal;
}

/** A worker as the master sees it. */
export interface WorkerInfo {
  /** Process id. */
  readonly pid: number;
  /** `EINHORN_CHILD_INDEX`: the lowest index free when it was spawned. */
  readonly index: number;
  /** The master's `version` when it was spawned; each upgrade bumps it. */
  readonly version: number;
  /** Whether it counts as up. */
  readonly acked: boolean;
  /** Signals the master sent it on purpose (culling, upgrade, stop); `signal` commands are not recorded. */
  readonly signaled: readonly string[];
  /** Spawn time, ms since the epoch. */
  readonly spawnedAt: number;
  /** Last `worker:ping`, ms since the epoch. */
  readonly pingedAt?: number;
  /** `request_id` of the last `worker:ping`. */
  readonly pingedRequestId?: string;
  /** Reuseport slot, when a `reuseport` socket is bound. */
  readonly slot?: number;
}

/** How a worker ended. */
export interface WorkerExit {
  /** Exit code, or null when killed by a signal. */
  readonly code: number | null;
  /** The signal that killed it, if any. */
  readonly signal: NodeJS.Signals | null;
}

/** A finished upgrade. */
export interface UpgradeResult {
  /** `smooth` replaces workers one at a time; `fleet` starts all new workers first. */
  readonly mode: 'smooth' | 'fleet';
  /** Version before the upgrade. */
  readonly fromVersion: number;
  /** Version all ACKed workers now run. */
  readonly toVersion: number;
}

/** A snapshot of the master. */
export interface MasterState {
  /** The master's pid. */
  readonly pid: number;
  /** Bumped by each upgrade. */
  readonly version: number;
  /** Bumped by each `reload`. */
  readonly generation: number;
  /** Whether an upgrade is in progress. */
  readonly upgrading: boolean;
  /** Target number of workers. */
  readonly workersTarget: number;
  /** Actual TCP ports of the `bind` sockets, in order (0 for UNIX sockets). */
  readonly boundPorts: readonly number[];
  /** Live workers, in spawn order. */
  readonly workers: readonly WorkerInfo[];
  /** Whether the master still respawns workers (false once stopping). */
  readonly respawn: boolean;
  /** Deaths before ACK in a row; drives the backoff. */
  readonly consecutiveDeathsBeforeAck: number;
  /** Set when the circuit breaker stopped spawning a version that never became ready. */
  readonly halted?: { readonly version: number; readonly failedStarts: number };
}

/** Events of a {@link Master}. */
export interface MasterEvents {
  'worker:spawn': [WorkerInfo];
  'worker:ack': [WorkerInfo];
  'worker:exit': [WorkerInfo, WorkerExit];
  'upgrade:done': [UpgradeResult];
  /** Runtime faults (spawn failure, ACK timeout, failed upgrade). Only emitted when listened to; always logged. */
  error: [EinhornError];
}

/** Options of {@link Master.stop}. */
export interface StopOptions {
  /** Signal sent to every worker. @default the master's shutdownSignal */
  readonly signal?: NodeJS.Signals;
  /** SIGKILL workers still alive after this long; 0 waits forever (or uses killTimeoutMs). @default 0 */
  readonly timeoutMs?: number;
  /** Wait for workers to exit before closing; `false` is einhorn's QUIT (exit at once). @default true */
  readonly wait?: boolean;
}

/** A running Einhorn master. */
export interface Master extends EventEmitter<MasterEvents> {
  /** Binds, opens the command socket and spawns the workers. Rejects with an EinhornError. */
  start(): Promise<void>;
  /** Starts an upgrade; resolves when every new worker ACKed, rejects ERR_EINHORN_UPGRADE_FAILED. */
  upgrade(options?: { readonly mode?: 'smooth' | 'fleet' }): Promise<UpgradeResult>;
  /** Changes the target number of workers (1..1000). */
  setWorkers(count: number): void;
  /** Signals every worker, stops respawning, waits for them and releases every resource. */
  stop(options?: StopOptions): Promise<void>;
  /** Resolves once the master has fully stopped (after `stop`, `die`, or a fatal start error). */
  readonly closed: Promise<void>;
  /** A snapshot of the master's state. */
  readonly state: MasterState;
}
