import { EinhornError } from '../errors/einhorn-error.ts';
import type { WorkerAckCommand, WorkerPingCommand } from '../types.ts';

function checkPid(pid: number): number {
  if (Number.isSafeInteger(pid) && pid > 0) return pid;
  throw new EinhornError(
    'ERR_EINHORN_INVALID_OPTIONS',
    `Expected pid to be a positive integer, but found ${String(pid)}; pass process.pid.`,
    {
      details: { option: 'pid', found: String(pid) },
    },
  );
}

/**
 * Builds the manual ACK a worker sends once it is ready (PROTOCOL §9.1). Send it with
 * {@link encodeMessage} on a fresh connection to `EINHORN_SOCK_PATH`; the master replies
 * with nothing and closes the connection.
 *
 * @param pid - the worker's own pid (an integer; einhorn ignores string pids).
 * @returns `{ command: 'worker:ack', pid }`.
 * @throws EinhornError `ERR_EINHORN_INVALID_OPTIONS` when `pid` is not a positive integer.
 * @example
 * ```ts
 * socket.end(encodeMessage(workerAck(process.pid)));
 * ```
 */
export function workerAck(pid: number): WorkerAckCommand {
  return { command: 'worker:ack', pid: checkPid(pid) };
}

/**
 * Builds a worker ping (PROTOCOL §9.2); the master records `request_id` in `state` and closes the connection.
 *
 * @param pid - the worker's own pid.
 * @param requestId - any string, stored as `pinged_request_id`.
 * @returns `{ command: 'worker:ping', pid, request_id }`.
 * @throws EinhornError `ERR_EINHORN_INVALID_OPTIONS` when `pid` is not a positive integer.
 * @example
 * ```ts
 * socket.end(encodeMessage(workerPing(process.pid, 'health-1')));
 * ```
 */
export function workerPing(pid: number, requestId: string): WorkerPingCommand {
  return { command: 'worker:ping', pid: checkPid(pid), request_id: requestId };
}
