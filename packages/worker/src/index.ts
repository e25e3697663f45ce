/**
 * Run a Node.js process as an Einhorn worker: check that it is one, adopt the listening
 * sockets the master passes down, ACK, ping, and drain on `SIGUSR2`.
 *
 * @module
 */
export type * from './types.ts';
export { getWorkerContext, isEinhornWorker, safeGetWorkerContext } from './context.ts';
export { listenOnFd } from './listen-on-fd.ts';
export { ack, ping, safeAck } from './ack.ts';
export { isShuttingDown, onGracefulShutdown } from './shutdown.ts';
export { channels } from './diagnostics.ts';
export { exitCodes } from './exit-codes.ts';
export { einhorn } from './facade.ts';
