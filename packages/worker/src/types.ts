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
   * (PROTOCOL §9.3). This is what keeps a grandchild that inherited the variables from
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
}

/** What Einhorn told this worker, verified to be meant for this process. */
export interface WorkerContext extends EinhornEnv {
  /** This process's pid: the one the ACK carries. */
  readonly pid: number;
  /** The master's pid; equals the parent pid unless `verifyParent: false`. */
  readonly masterPid: number;
}

/** How {@link listenOnFd} picked the backlog it applied. */
export type BacklogSource = 'option' | 'kernel' | 'default';

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
   * (PROTOCOL §3, P7), so some value must be applied:
   *
   * - a number: exactly that value (pass the same value as einhorn's `-l`);
   * - `'inherit'`: the value currently set on the socket, read from the kernel (Linux with
   *   iproute2's `ss`, matched by the socket's inode), so that the master's backlog survives.
   *   When it cannot be read (another OS, no `ss`, or a socket that is bound but not yet
   *   listening), Node's default of 511 is applied, as a plain `server.listen({ fd })` would.
   *   The `einhorn:worker:adopt` diagnostics message says which happened.
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

/** Options for {@link ack} and {@link safeAck}. */
export interface AckOptions extends CommandSocketOptions {
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
   * Signals that start the shutdown. Einhorn sends `SIGUSR2` on upgrades, `dec` and `die`
   * (PROTOCOL §9.4); add `'SIGTERM'`/`'SIGINT'` to drain on those too. `SIGUSR1` is refused:
   * Node reserves it for the inspector.
   * @default ['SIGUSR2']
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
