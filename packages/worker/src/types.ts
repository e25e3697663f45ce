import type { EinhornEnv, EnvSource } from '@einhorn/core';

/** Where the Einhorn variables are read from and how strictly this process must prove it is the worker. */
export interface ContextOptions {
  /**
   * The environment to read.
   * @default process.env
   */
  readonly env?: EnvSource;
  /**
   * The parent pid that `EINHORN_MASTER_PID` must equal.
   * @default process.ppid
   */
  readonly ppid?: number;
  /**
   * Require `EINHORN_MASTER_PID` to equal the parent pid, as einhorn's own `is_worker?` does
   * (docs/reference/protocol.md, "Worker environment"). This is what keeps a grandchild that inherited the variables from
   * adopting the fds or ACKing. Turn it off only under a wrapper that does not `exec`
   * (`sh -c`, `npm start`), and then ACK with the wrapper's pid (PROTOCOL P12).
   * @default true
   */
  readonly verifyParent?: boolean;
  /**
   * Accept the deprecated space-separated `EINHORN_FDS` when `EINHORN_FD_COUNT` is absent
   * (einhorn ≤ 0.8, socketmaster). With `false`, such an environment has no fds.
   * @default true
   */
  readonly legacyFds?: boolean;
  /**
   * When no `EINHORN_*` variable is set, adopt the sockets passed by systemd socket activation
   * (`LISTEN_PID` equal to this pid, `LISTEN_FDS`, `LISTEN_FDNAMES`; fds from 3), so the same
   * worker runs under einhorn, `einhorn-node` or a systemd `.socket` unit unchanged.
   * @default true
   */
  readonly systemd?: boolean;
}

/** What Einhorn (or systemd) told this worker, verified to be meant for this process. */
export interface WorkerContext extends Omit<EinhornEnv, 'fdSource'> {
  /**
   * Where {@link WorkerContext.fds} came from: `EINHORN_FD_COUNT` (`'count'`), the legacy
   * `EINHORN_FDS` (`'legacy'`), neither (`'none'`), or systemd's `LISTEN_FDS` (`'systemd'`).
   */
  readonly fdSource: EinhornEnv['fdSource'] | 'systemd';
  /** Who passed the sockets: an Einhorn master (Ruby einhorn or einhorn-node), or systemd. */
  readonly manager: 'einhorn' | 'systemd';
  /** systemd's `LISTEN_FDNAMES`, one per fd, when it names them. */
  readonly fdNames?: readonly string[];
  /** This process's pid: the one the ACK carries. */
  readonly pid: number;
  /**
   * The master's pid; equals the parent pid unless `verifyParent: false`. Under systemd, the
   * parent pid (the service manager).
   */
  readonly masterPid: number;
}

/**
 * How {@link listenOnFd} picked the backlog it applied: the `backlog` option, einhorn-node's
 * command line, the Ruby einhorn's `state`, `net.core.somaxconn` (systemd), or Node's default.
 */
export type BacklogSource = 'option' | 'command-line' | 'state' | 'somaxconn' | 'default';

/** Options for {@link listenOnFd}. */
export interface ListenOnFdOptions extends ContextOptions {
  /**
   * Which inherited listener to adopt: `EINHORN_FD_<index>`, in the master's `-b` order.
   * @default 0
   */
  readonly index?: number;
  /**
   * The accept-queue length to apply. Node's `listen({ fd })` always calls `listen(2)` again,
   * which replaces the backlog the master chose for every process sharing the socket
   * (docs/reference/protocol.md, "Listening sockets and backlog", P7), so some value must be applied:
   *
   * - a number: exactly that value;
   * - `'inherit'`: the master's own value (check 33), found without running any program:
   *   einhorn-node's command line (`/proc/<master>/cmdline`: `-l N`, or einhorn's default of
   *   100); under the Ruby einhorn, which rewrites its command line to `einhorn: <program>`,
   *   one `state` request on the command socket (`config.backlog`, about a millisecond);
   *   under systemd socket activation, `net.core.somaxconn` (systemd's default when the unit
   *   sets no `Backlog=`; pass the number when it does). Where it cannot be known (another
   *   master, or no `/proc`: not Linux), Node's default of 511 is applied, as a plain
   *   `server.listen({ fd })` would. The `einhorn:worker:adopt` diagnostics message says which.
   * @default 'inherit'
   */
  readonly backlog?: number | 'inherit';
  /** Cancels the adoption; the promise then rejects with `signal.reason`. */
  readonly signal?: AbortSignal;
}

/** Options shared by {@link ack} and {@link ping}. */
export interface CommandSocketOptions extends ContextOptions {
  /**
   * The command-socket path to connect to instead of `EINHORN_SOCK_PATH`.
   * @default the EINHORN_SOCK_PATH value
   */
  readonly path?: string;
  /**
   * How long to wait for the connection, the write and the master's close.
   * @default 5000
   */
  readonly timeoutMs?: number;
  /**
   * The pid to report. Only a worker under a non-`exec`ing wrapper needs this: einhorn knows
   * the wrapper's pid, so pass `process.ppid` together with `verifyParent: false` (PROTOCOL P12).
   * @default process.pid
   */
  readonly pid?: number;
  /** Cancels the request; the promise then rejects with `signal.reason`. */
  readonly signal?: AbortSignal;
}

/**
 * Which connection carries the ACK.
 *
 * - `'auto'`: `EINHORN_SOCK_PATH` on a fresh connection; the `-g` fd (`EINHORN_SOCK_FD`) only
 *   when the path is unset or refuses the connection *and* the fd is a connected UNIX stream
 *   socket. The path comes first because under the real einhorn the fd is already closed in
 *   every exec'd worker and its number is often reused by something else, possibly an
 *   unrelated UNIX socket such as a database connection (PROTOCOL P1, check 28).
 * - `'path'`: only the path.
 * - `'fd'`: only `EINHORN_SOCK_FD`, after checking that it is a connected UNIX stream socket;
 *   nothing is ever written to an fd that is not.
 */
export type AckVia = 'auto' | 'path' | 'fd';

/** What {@link ack} learned. */
export interface AckResult {
  /** The connection that carried the ACK; `'none'` under systemd, which has no ACK. */
  readonly via: 'path' | 'fd' | 'none';
  /**
   * `true` when the master confirmed that this worker is ACKed (einhorn-node with `confirm:
   * true`); `false` when it did not say (the Ruby einhorn never does) or runs in timer mode.
   */
  readonly confirmed: boolean;
  /** The master's confirmation text, when it sent one (`ACKed`, `Not ACKed: …`). */
  readonly message?: string;
}

/** Options for {@link ack} and {@link safeAck}. */
export interface AckOptions extends CommandSocketOptions {
  /**
   * Ask the master to say whether the ACK counted, and wait for that answer: an `einhorn-node`
   * extension (`{"command":"worker:ack","pid":…,"confirm":true}`). The Ruby einhorn ignores the
   * key and closes the connection without a word, so there the ACK behaves exactly like a
   * plain one and resolves with `confirmed: false`.
   * @default false
   */
  readonly confirm?: boolean;
  /**
   * Which connection carries the ACK; see {@link AckVia}.
   * @default 'auto'
   */
  readonly via?: AckVia;
}

/** Options for {@link ping}: pings always use a fresh connection to the command-socket path. */
export type PingOptions = CommandSocketOptions;

/** What a graceful-shutdown handler is told. */
export interface ShutdownEvent {
  /** The signal that started the shutdown. */
  readonly signal: NodeJS.Signals;
  /** When the deadline passes, in `Date.now()` milliseconds. */
  readonly deadline: number;
  /**
   * Aborted when the deadline passes (reason: an `EinhornShutdownError` with
   * `ERR_EINHORN_SHUTDOWN_TIMEOUT`) or when a second signal forces the exit. Destroy whatever
   * is left when it fires.
   */
  readonly abortSignal: AbortSignal;
}

/** Finishes in-flight work; the shutdown is complete when the returned promise settles. */
export type ShutdownHandler = (event: ShutdownEvent) => void | Promise<void>;

/** Options for {@link onGracefulShutdown}. */
export interface ShutdownOptions {
  /**
   * Signals that start the shutdown. Einhorn sends `SIGUSR2` on upgrades, `dec`, `die` and
   * when its master gets `INT` or `USR2`, and `SIGTERM` when its master gets `TERM` (PROTOCOL
   * docs/reference/protocol.md, "Shutdown contract", docs/reference/protocol.md, "Signals handled by the master"); Kubernetes and systemd send `SIGTERM`; a terminal's Ctrl-C sends `SIGINT`. All
   * three drain by default; a second one while draining exits at once. `SIGUSR1` is refused:
   * Node reserves it for the inspector.
   * @default ['SIGUSR2', 'SIGTERM', 'SIGINT']
   */
  readonly signals?: readonly NodeJS.Signals[];
  /**
   * How long the handler may run before `abortSignal` fires and the process exits with
   * `exitCodes.timedOut`.
   * @default 30000
   */
  readonly timeoutMs?: number;
  /**
   * Exit the process once every handler started by the signal has settled (or the deadline
   * passed), and at once on a second signal. Exit codes are in `exitCodes`.
   * @default true
   */
  readonly exit?: boolean;
  /** Called once when the deadline passes, just before `abortSignal` fires. */
  readonly onTimeout?: (timeoutMs: number) => void;
}

/** Published on `einhorn:worker:ack` after an ACK or ping was delivered. */
export interface AckMessage {
  readonly command: 'worker:ack' | 'worker:ping';
  readonly pid: number;
  readonly via: 'path' | 'fd';
  readonly requestId?: string;
}

/** Published on `einhorn:worker:adopt` after a server listens on an inherited fd. */
export interface AdoptMessage {
  readonly fd: number;
  readonly index: number;
  readonly backlog: number;
  readonly backlogSource: BacklogSource;
}

/** Published on `einhorn:worker:shutdown` at each step of a graceful shutdown. */
export type ShutdownMessage =
  | {
      readonly phase: 'start';
      readonly signal: NodeJS.Signals;
      readonly deadline: number;
      readonly handlers: number;
    }
  | { readonly phase: 'handler-error'; readonly error: unknown }
  | { readonly phase: 'timeout'; readonly timeoutMs: number }
  | { readonly phase: 'forced'; readonly signal: NodeJS.Signals }
  | { readonly phase: 'done'; readonly exitCode: number; readonly exiting: boolean };
