import { channel } from 'node:diagnostics_channel';
import { debuglog } from 'node:util';
import type { AckMessage, AdoptMessage, ShutdownMessage } from './types.ts';

/**
 * The `node:diagnostics_channel` names this package publishes on. Subscribe to observe the
 * worker without a logger; `NODE_DEBUG=einhorn` prints the same events to stderr.
 *
 * - `ack`: an {@link AckMessage} after an ACK or ping was delivered;
 * - `shutdown`: a {@link ShutdownMessage} at each step of a graceful shutdown;
 * - `adopt`: an {@link AdoptMessage} after a server listens on an inherited fd.
 *
 * @example
 * ```ts
 * import { subscribe } from 'node:diagnostics_channel';
 * import { channels } from '@einhorn/worker';
 *
 * subscribe(channels.shutdown, (message) => metrics.increment('shutdown', message));
 * ```
 */
export const channels = Object.freeze({
  ack: 'einhorn:worker:ack',
  shutdown: 'einhorn:worker:shutdown',
  adopt: 'einhorn:worker:adopt',
} as const);

let debug: ((format: string, ...args: unknown[]) => void) | undefined;

function publish(name: string, message: object): void {
  debug ??= debuglog('einhorn');
  debug('%s %j', name, message);
  const target = channel(name);
  if (target.hasSubscribers) target.publish(message);
}

export function publishAck(message: AckMessage): void {
  publish(channels.ack, message);
}

export function publishAdopt(message: AdoptMessage): void {
  publish(channels.adopt, message);
}

export function publishShutdown(message: ShutdownMessage): void {
  publish(channels.shutdown, message);
}
