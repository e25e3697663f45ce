/**
 * Every error code an `@einhorn/*` package can raise, as a registry whose keys are
 * the codes themselves.
 *
 * Branch on `err.code` (compare with these constants), never on the message text.
 * Adding a code is a minor release; renaming or removing one is a major release.
 * `docs/reference/errors.md` lists the same codes, and a unit test keeps the two in step.
 *
 * @example
 * ```ts
 * import { ErrorCodes, isEinhornError } from '@einhorn/core';
 *
 * if (isEinhornError(err, ErrorCodes.ERR_EINHORN_FD_OUT_OF_RANGE)) {
 *   logger.error(err.details);
 * }
 * ```
 */
export const ErrorCodes = {
  /**
   * Meaning: an options object (or a required argument such as a pid) failed validation; the
   * `cause` is a `TypeError` listing every issue.
   * Thrown by: any `@einhorn/*` function that takes options, through `OptionsValidator`.
   * Remedy: fix the option named in `details.option` (the value found is `details.found`; every
   * issue is in `details.issues` as `{ path, message }`).
   */
  ERR_EINHORN_INVALID_OPTIONS: 'ERR_EINHORN_INVALID_OPTIONS',
  /**
   * Meaning: none of the `EINHORN_*` variables is set, so this process was not started by Einhorn.
   * Thrown by: `parseEinhornEnv`, `getWorkerContext`.
   * Remedy: run the program under `einhorn` / `einhorn-node`, or use the non-throwing variant.
   */
  ERR_EINHORN_ENV_MISSING: 'ERR_EINHORN_ENV_MISSING',
  /**
   * Meaning: an `EINHORN_*` variable is malformed (not a decimal integer, out of range,
   * duplicate fds, or `EINHORN_FD_COUNT` without the matching `EINHORN_FD_<i>`).
   * Thrown by: `parseEinhornEnv`, `serializeEinhornEnv`.
   * Remedy: fix the variable named in `details.variable`; check what starts the process.
   */
  ERR_EINHORN_ENV_INVALID: 'ERR_EINHORN_ENV_INVALID',
  /**
   * Meaning: some Einhorn variables are set but `EINHORN_MASTER_PID` is missing, so the process cannot be
   * an Einhorn worker (a grandchild or wrapper with the variable set gets `ERR_EINHORN_MASTER_PID_MISMATCH`).
   * Thrown by: `getWorkerContext`, `ack`, `ping` in `@einhorn/worker`.
   * Remedy: run the process directly under an Einhorn master, or use `isEinhornWorker` first.
   */
  ERR_EINHORN_NOT_A_WORKER: 'ERR_EINHORN_NOT_A_WORKER',
  /**
   * Meaning: `EINHORN_MASTER_PID` differs from the parent pid (wrapper such as `sh -c` or `npm start`).
   * Thrown by: `getWorkerContext` in `@einhorn/worker` when the parent check is on.
   * Remedy: `exec` the worker directly, or pass `verifyParent: false` if a wrapper is intended.
   */
  ERR_EINHORN_MASTER_PID_MISMATCH: 'ERR_EINHORN_MASTER_PID_MISMATCH',
  /**
   * Meaning: the code runs inside a `node:cluster` worker, which cannot adopt Einhorn's fds.
   * Thrown by: `@einhorn/worker` and `@einhorn/net` entry points.
   * Remedy: let Einhorn spawn one process per worker instead of using `node:cluster`.
   */
  ERR_EINHORN_CLUSTER_WORKER: 'ERR_EINHORN_CLUSTER_WORKER',
  /**
   * Meaning: a listening-socket index at or beyond `EINHORN_FD_COUNT` was requested.
   * Thrown by: `listenOnFd` in `@einhorn/worker`, `serve` in `@einhorn/net`.
   * Remedy: pass one `-b` per socket to the master, or request a lower index.
   */
  ERR_EINHORN_FD_OUT_OF_RANGE: 'ERR_EINHORN_FD_OUT_OF_RANGE',
  /**
   * Meaning: the inherited fd is closed or is not a listening socket.
   * Thrown by: `listenOnFd` in `@einhorn/worker`.
   * Remedy: check that the master really passed that fd (no wrapper closed it).
   */
  ERR_EINHORN_FD_INVALID: 'ERR_EINHORN_FD_INVALID',
  /**
   * Meaning: `server.listen({ fd })` failed for an inherited fd.
   * Thrown by: `listenOnFd` in `@einhorn/worker`.
   * Remedy: read the `cause` (an errno error) and check the socket's family and state.
   */
  ERR_EINHORN_FD_LISTEN_FAILED: 'ERR_EINHORN_FD_LISTEN_FAILED',
  /**
   * Meaning: listening on an inherited fd is not supported on this platform (Windows).
   * Thrown by: fd-adopting functions in `@einhorn/worker` and `@einhorn/net`.
   * Remedy: run on Linux or macOS.
   */
  ERR_EINHORN_UNSUPPORTED_PLATFORM: 'ERR_EINHORN_UNSUPPORTED_PLATFORM',
  /**
   * Meaning: a command-socket line is not valid YAML/JSON, uses a tag, has too many aliases,
   * or holds an invalid Unicode string.
   * Thrown by: `decodeMessage`, `parseCommand`, `parseReply`.
   * Remedy: send one compact JSON object per line, escaped with `escapeLine`.
   */
  ERR_EINHORN_PROTOCOL_DECODE: 'ERR_EINHORN_PROTOCOL_DECODE',
  /**
   * Meaning: a decoded message does not have the shape of a known command or reply
   * (or cannot be encoded as JSON).
   * Thrown by: `parseCommand`, `parseReply`, `encodeMessage`; reported by `readRequest`.
   * Remedy: check the fields listed in `details.issues` against the protocol reference.
   */
  ERR_EINHORN_PROTOCOL_SCHEMA: 'ERR_EINHORN_PROTOCOL_SCHEMA',
  /**
   * Meaning: a command-socket line is longer than `maxLineBytes`.
   * Thrown by: `createLineSplitter().push`, `decodeMessage`.
   * Remedy: close the connection; raise `maxLineBytes` only if such lines are legitimate.
   */
  ERR_EINHORN_PROTOCOL_LINE_TOO_LONG: 'ERR_EINHORN_PROTOCOL_LINE_TOO_LONG',
  /**
   * Meaning: the worker could not connect or write to the master's command socket.
   * Thrown by: `ack`, `ping` in `@einhorn/worker`.
   * Remedy: check `EINHORN_SOCK_PATH` and that the master is running; read the `cause`.
   */
  ERR_EINHORN_ACK_CONNECT: 'ERR_EINHORN_ACK_CONNECT',
  /**
   * Meaning: the master did not close the connection after the ACK within the timeout.
   * Thrown by: `ack`, `ping` in `@einhorn/worker`.
   * Remedy: raise `timeoutMs`, or check that the master's event loop is not blocked.
   */
  ERR_EINHORN_ACK_TIMEOUT: 'ERR_EINHORN_ACK_TIMEOUT',
  /**
   * Meaning: the master answered that the ACK did not count: it knows no worker with that pid
   * (einhorn-node, with `ack({ confirm: true })`; the Ruby einhorn never answers).
   * Thrown by: `ack` with `confirm` in `@einhorn/worker`.
   * Remedy: start the worker directly under the master (no wrapper in between), or pass the pid it knows.
   */
  ERR_EINHORN_ACK_REJECTED: 'ERR_EINHORN_ACK_REJECTED',
  /**
   * Meaning: graceful shutdown did not finish within its budget.
   * Thrown by: `onGracefulShutdown` (reported through `onTimeout`), `serve().close()`.
   * Remedy: raise `timeoutMs`, or close long-lived connections (websockets, keep-alive) sooner.
   */
  ERR_EINHORN_SHUTDOWN_TIMEOUT: 'ERR_EINHORN_SHUTDOWN_TIMEOUT',
  /**
   * Meaning: a bind address is malformed (einhorn `-b` syntax is `HOST:PORT[,FLAGS]`).
   * Thrown by: `createMaster`, the `einhorn-node` CLI.
   * Remedy: use `host:port` with an IPv4 address or host name, e.g. `127.0.0.1:8080`.
   */
  ERR_EINHORN_BIND_INVALID: 'ERR_EINHORN_BIND_INVALID',
  /**
   * Meaning: the master could not bind or listen on an address.
   * Thrown by: `Master.start` in `@einhorn/master`.
   * Remedy: read the `cause` (e.g. `EADDRINUSE`); free the port or pick another.
   */
  ERR_EINHORN_BIND_FAILED: 'ERR_EINHORN_BIND_FAILED',
  /**
   * Meaning: `SO_REUSEPORT` was requested but this Node version or platform cannot set it.
   * Thrown by: `Master.start` in `@einhorn/master`.
   * Remedy: drop the reuse-port flag or upgrade Node.
   */
  ERR_EINHORN_REUSEPORT_UNSUPPORTED: 'ERR_EINHORN_REUSEPORT_UNSUPPORTED',
  /**
   * Meaning: a worker process could not be spawned.
   * Thrown by: `@einhorn/master` (reported on the `'error'` event).
   * Remedy: check the command path, its permissions and the `cause`.
   */
  ERR_EINHORN_SPAWN_FAILED: 'ERR_EINHORN_SPAWN_FAILED',
  /**
   * Meaning: a worker did not ACK within the manual-ACK timeout.
   * Thrown by: `@einhorn/master` (reported on the `'error'` event).
   * Remedy: make the worker ACK after it listens, or raise the ACK timeout.
   */
  ERR_EINHORN_WORKER_ACK_TIMEOUT: 'ERR_EINHORN_WORKER_ACK_TIMEOUT',
  /**
   * Meaning: an upgrade could not start or its new workers never became healthy.
   * Thrown by: `Master.upgrade` in `@einhorn/master`.
   * Remedy: read the `cause`, fix the new code, and upgrade again.
   */
  ERR_EINHORN_UPGRADE_FAILED: 'ERR_EINHORN_UPGRADE_FAILED',
  /**
   * Meaning: another process is already listening on the command-socket path.
   * Thrown by: `Master.start` in `@einhorn/master`.
   * Remedy: stop the other master or choose another command-socket path.
   */
  ERR_EINHORN_COMMAND_SOCKET_IN_USE: 'ERR_EINHORN_COMMAND_SOCKET_IN_USE',
  /**
   * Meaning: the command-socket path is unusable (a non-socket file, too long, or unwritable directory).
   * Thrown by: `Master.start` in `@einhorn/master`.
   * Remedy: remove the file or pick a shorter path in a writable directory.
   */
  ERR_EINHORN_COMMAND_SOCKET_INVALID: 'ERR_EINHORN_COMMAND_SOCKET_INVALID',
  /**
   * Meaning: a command-socket client could not connect to the master.
   * Thrown by: the command-socket client in `@einhorn/master`.
   * Remedy: check the socket path and that the master is running; read the `cause`.
   */
  ERR_EINHORN_CLIENT_CONNECT: 'ERR_EINHORN_CLIENT_CONNECT',
  /**
   * Meaning: the master did not answer a client request within the timeout.
   * Thrown by: the command-socket client in `@einhorn/master`.
   * Remedy: raise the client's `timeoutMs`, or check that the master is responsive.
   */
  ERR_EINHORN_CLIENT_TIMEOUT: 'ERR_EINHORN_CLIENT_TIMEOUT',
  /**
   * Meaning: the master closed the connection before the final reply arrived.
   * Thrown by: the command-socket client in `@einhorn/master`.
   * Remedy: check the master's log; it may have exited or re-executed.
   */
  ERR_EINHORN_CLIENT_CLOSED: 'ERR_EINHORN_CLIENT_CLOSED',
} as const;

/** The union of every error code in {@link ErrorCodes}. */
export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];
