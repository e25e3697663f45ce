import { EinhornError } from './einhorn-error.ts';

// The unions below must be subsets of ErrorCode: `extends EinhornError<…>` fails to compile otherwise.

/** Codes carried by {@link EinhornEnvError}. */
export type EnvErrorCode =
  | 'ERR_EINHORN_ENV_MISSING'
  | 'ERR_EINHORN_ENV_INVALID'
  | 'ERR_EINHORN_NOT_A_WORKER'
  | 'ERR_EINHORN_MASTER_PID_MISMATCH'
  | 'ERR_EINHORN_CLUSTER_WORKER';

/** Codes carried by {@link EinhornFdError}. */
export type FdErrorCode =
  | 'ERR_EINHORN_FD_OUT_OF_RANGE'
  | 'ERR_EINHORN_FD_INVALID'
  | 'ERR_EINHORN_FD_LISTEN_FAILED'
  | 'ERR_EINHORN_UNSUPPORTED_PLATFORM';

/** Codes carried by {@link EinhornProtocolError}. */
export type ProtocolErrorCode =
  | 'ERR_EINHORN_PROTOCOL_DECODE'
  | 'ERR_EINHORN_PROTOCOL_SCHEMA'
  | 'ERR_EINHORN_PROTOCOL_LINE_TOO_LONG';

/** Codes carried by {@link EinhornAckError}. */
export type AckErrorCode =
  'ERR_EINHORN_ACK_CONNECT' | 'ERR_EINHORN_ACK_TIMEOUT' | 'ERR_EINHORN_ACK_REJECTED';

/** Codes carried by {@link EinhornShutdownError}. */
export type ShutdownErrorCode = 'ERR_EINHORN_SHUTDOWN_TIMEOUT';

/** Codes carried by {@link EinhornMasterError}. */
export type MasterErrorCode =
  | 'ERR_EINHORN_BIND_INVALID'
  | 'ERR_EINHORN_BIND_FAILED'
  | 'ERR_EINHORN_REUSEPORT_UNSUPPORTED'
  | 'ERR_EINHORN_SPAWN_FAILED'
  | 'ERR_EINHORN_WORKER_ACK_TIMEOUT'
  | 'ERR_EINHORN_UPGRADE_FAILED'
  | 'ERR_EINHORN_COMMAND_SOCKET_IN_USE'
  | 'ERR_EINHORN_COMMAND_SOCKET_INVALID';

/** Codes carried by {@link EinhornClientError}. */
export type ClientErrorCode =
  'ERR_EINHORN_CLIENT_CONNECT' | 'ERR_EINHORN_CLIENT_TIMEOUT' | 'ERR_EINHORN_CLIENT_CLOSED';

/**
 * The worker environment is missing or malformed, or this process is not the worker.
 *
 * @example
 * ```ts
 * const result = safeParseEinhornEnv();
 * if (!result.success && result.error.code === 'ERR_EINHORN_ENV_MISSING') startStandalone();
 * ```
 */
export class EinhornEnvError extends EinhornError<EnvErrorCode> {
  static override readonly errorName: string = 'EinhornEnvError';
}

/**
 * An inherited listening fd cannot be used.
 *
 * @example
 * ```ts
 * throw new EinhornFdError('ERR_EINHORN_FD_OUT_OF_RANGE', 'Only 2 fds available, but fd index 3 was requested.', { details: { index: 3, count: 2 } });
 * ```
 */
export class EinhornFdError extends EinhornError<FdErrorCode> {
  static override readonly errorName: string = 'EinhornFdError';
}

/**
 * A command-socket line could not be framed, decoded or validated.
 *
 * @example
 * ```ts
 * try { parseCommand(line); } catch (err) { if (err instanceof EinhornProtocolError) reply('Could not parse command'); }
 * ```
 */
export class EinhornProtocolError extends EinhornError<ProtocolErrorCode> {
  static override readonly errorName: string = 'EinhornProtocolError';
}

/**
 * A worker's ACK or ping could not be delivered.
 *
 * @example
 * ```ts
 * await ack().catch((err: unknown) => { if (err instanceof EinhornAckError) process.exitCode = 1; });
 * ```
 */
export class EinhornAckError extends EinhornError<AckErrorCode> {
  static override readonly errorName: string = 'EinhornAckError';
}

/**
 * Graceful shutdown ran out of time.
 *
 * @example
 * ```ts
 * new EinhornShutdownError('ERR_EINHORN_SHUTDOWN_TIMEOUT', 'Expected connections to drain within 30000 ms, but 3 remained; raise timeoutMs.');
 * ```
 */
export class EinhornShutdownError extends EinhornError<ShutdownErrorCode> {
  static override readonly errorName: string = 'EinhornShutdownError';
}

/**
 * A master-side failure: binding, spawning, upgrading, or the command socket.
 *
 * @example
 * ```ts
 * master.on('error', (err) => { if (err instanceof EinhornMasterError) log(err.code); });
 * ```
 */
export class EinhornMasterError extends EinhornError<MasterErrorCode> {
  static override readonly errorName: string = 'EinhornMasterError';
}

/**
 * A command-socket client (the `einhornsh` equivalent) failed to talk to the master.
 *
 * @example
 * ```ts
 * if (err instanceof EinhornClientError && err.code === 'ERR_EINHORN_CLIENT_CONNECT') logger.error('Is the master running?');
 * ```
 */
export class EinhornClientError extends EinhornError<ClientErrorCode> {
  static override readonly errorName: string = 'EinhornClientError';
}
