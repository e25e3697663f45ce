import type { EnvSource } from '@einhorn/core';
import type { AckVia, WorkerContext } from '@einhorn/worker';

/** Options of the {@link fastifyEinhorn} plugin. */
export interface FastifyEinhornOptions {
  /**
   * When to tell the master this worker is up. `'auto'`: {@link listenEinhorn} acks once the
   * booted app listens on the inherited socket. `'manual'`: call `app.einhorn.ack()` yourself,
   * e.g. after warming caches.
   * @default 'auto'
   */
  readonly ack?: 'auto' | 'manual';
  /**
   * How long to wait for the ack to be delivered to the master's command socket.
   * @default 5000
   */
  readonly ackTimeoutMs?: number;
  /**
   * Which connection carries the ack: `'auto'` (the `EINHORN_SOCK_PATH` socket, or the `-g` fd
   * only when that is a connected UNIX socket), `'path'` or `'fd'`; see `AckVia` in `@einhorn/worker`.
   * @default 'auto'
   */
  readonly ackVia?: AckVia;
  /**
   * Signals that start a graceful drain. Einhorn sends `SIGUSR2`.
   * @default ['SIGUSR2']
   */
  readonly signals?: readonly NodeJS.Signals[];
  /**
   * Deadline for the whole drain (connections and `onClose` hooks). When it passes, remaining
   * connections are destroyed and the process exits with a non-zero code.
   * @default 30000
   */
  readonly shutdownTimeoutMs?: number;
  /**
   * How long a keep-alive connection with no request in progress may stay open once draining
   * starts. Clients that send another request within it get their answer with
   * `Connection: close` instead of a reset.
   * @default 1000
   */
  readonly idleGraceMs?: number;
  /**
   * Exit the process after a signal-initiated drain completes (code 0) or times out (code 1).
   * @default true
   */
  readonly exit?: boolean;
  /**
   * Path of a `GET` readiness route answering `200` while serving and `503` once draining
   * starts (body: {@link EinhornHealthBody}). Omit it to add no route.
   * @default undefined
   */
  readonly healthPath?: string;
  /**
   * Environment to read `EINHORN_*` variables from.
   * @default process.env
   */
  readonly env?: EnvSource;
  /**
   * Require `EINHORN_MASTER_PID` to equal the parent pid. Turn off only when a wrapper process
   * (e.g. `sh -c`) sits between the master and Node.
   * @default true
   */
  readonly verifyParent?: boolean;
  /**
   * Accept the deprecated space-separated `EINHORN_FDS` when `EINHORN_FD_COUNT` is absent
   * (einhorn ≤ 0.8, socketmaster).
   * @default true
   */
  readonly legacyFds?: boolean;
}

/** Options of {@link listenEinhorn}. */
export interface ListenEinhornOptions {
  /**
   * Which inherited listening socket to adopt: the index `n` of `EINHORN_FD_n`, in `-b` order.
   * @default 0
   */
  readonly fdIndex?: number;
  /**
   * The accept-queue length applied to the inherited socket. Node's `listen({ fd })` always
   * calls `listen(2)` again, which replaces the master's backlog for every worker; `'inherit'`
   * reads the current value from the kernel and re-applies it (see `listenOnFd` in
   * `@einhorn/worker`), a number applies exactly that.
   * @default 'inherit'
   */
  readonly backlog?: number | 'inherit';
  /**
   * Where to listen when the process is not an Einhorn worker (local development). Without it,
   * {@link listenEinhorn} rejects with the reason the process is not a worker.
   * @default undefined
   */
  readonly fallback?: {
    /** TCP port; `0` picks a free one. */
    readonly port: number;
    /**
     * Interface to bind.
     * @default 'localhost'
     */
    readonly host?: string;
  };
}

/** The `app.einhorn` decorator added by {@link fastifyEinhorn}. */
export interface FastifyEinhorn {
  /** The Einhorn worker context, or `undefined` when the process is not an Einhorn worker. */
  readonly context: WorkerContext | undefined;
  /** `true` once a graceful drain has started (a shutdown signal or `app.close()`). */
  readonly isDraining: boolean;
  /**
   * Tells the master this worker is up. Idempotent; resolves without doing anything when the
   * process is not an Einhorn worker.
   * @throws EinhornAckError `ERR_EINHORN_ACK_CONNECT`, `ERR_EINHORN_ACK_TIMEOUT` (rejects)
   */
  readonly ack: () => Promise<void>;
}

/** JSON body of the readiness route configured with `healthPath`. */
export interface EinhornHealthBody {
  /** `'ok'` while serving (HTTP 200), `'draining'` once draining (HTTP 503). */
  readonly status: 'ok' | 'draining';
  /** This worker's pid. */
  readonly pid: number;
  /** `EINHORN_CHILD_INDEX`; absent when not under Einhorn. */
  readonly childIndex?: number;
}
