import { OptionsValidator } from '../options/options-validator.ts';
import type { WorkerAckCommand, WorkerPingCommand } from '../types.ts';

/** `pid` must be a positive integer: einhorn does not recognise a string pid. */
function checkPid(pid: number, fn: string): number {
  const v = new OptionsValidator({ pid });
  if (typeof pid === 'number') v.integer('pid', 1);
  else v.fail('pid', `an integer in [1, ${Number.MAX_SAFE_INTEGER}]`);
  v.throwIfInvalid(`${fn}() arguments`, 'pass process.pid');
  return pid;
}

/**
 * Builds the manual ACK a worker sends once it is ready (docs/reference/protocol.md, "ACK"). Send it with
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
  return { command: 'worker:ack', pid: checkPid(pid, 'workerAck') };
}

/**
 * Builds a worker ping (docs/reference/protocol.md, "Ping"); the master records `request_id` in `state` and closes the connection.
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
  return { command: 'worker:ping', pid: checkPid(pid, 'workerPing'), request_id: requestId };
}
