import { ack, ping, safeAck } from './ack.ts';
import { getWorkerContext, isEinhornWorker, safeGetWorkerContext } from './context.ts';
import { channels } from './diagnostics.ts';
import { exitCodes } from './exit-codes.ts';
import { listenOnFd } from './listen-on-fd.ts';
import { isShuttingDown, onGracefulShutdown } from './shutdown.ts';

/**
 * The whole worker API on one object, named after einhorn's Ruby `Einhorn::Worker`
 * (`is_worker?` → `isWorker`, `ensure_worker!` → `ensureWorker`, `ack!` → `ack`,
 * `ack` → `safeAck`). Every member is the same function as the named export.
 *
 * @example
 * ```ts
 * import { einhorn } from '@einhorn/worker';
 *
 * if (einhorn.isWorker()) {
 *   einhorn.onGracefulShutdown(() => new Promise((done) => server.close(() => done())));
 *   await einhorn.listenOnFd(server);
 *   await einhorn.ack();
 * }
 * ```
 */
export const einhorn = Object.freeze({
  isWorker: isEinhornWorker,
  ensureWorker: getWorkerContext,
  safeContext: safeGetWorkerContext,
  listenOnFd,
  ack,
  safeAck,
  ping,
  onGracefulShutdown,
  isShuttingDown,
  channels,
  exitCodes,
});
