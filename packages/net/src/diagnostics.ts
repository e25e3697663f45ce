import { channel } from 'node:diagnostics_channel';
import type { DrainMessage } from './types.ts';

/**
 * The `node:diagnostics_channel` names this package publishes on (next to
 * `@einhorn/worker`'s `einhorn:worker:*`): `drain` carries a {@link DrainMessage} when a
 * {@link serve} handle starts and finishes draining.
 *
 * @example
 * ```ts
 * import { subscribe } from 'node:diagnostics_channel';
 * subscribe(channels.drain, (message) => log.info(message));
 * ```
 */
export const channels = Object.freeze({
  drain: 'einhorn:net:drain',
} as const);

export function publishDrain(message: DrainMessage): void {
  const target = channel(channels.drain);
  if (target.hasSubscribers) target.publish(message);
}
