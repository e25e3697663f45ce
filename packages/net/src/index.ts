/**
 * Serve any `net.Server`, `http.Server`, `https.Server` or `http2` server under Einhorn: adopt the inherited
 * socket, listen, ACK, and drain on `SIGUSR2`, `SIGTERM` or `SIGINT` without dropping requests.
 *
 * @module
 */
export type * from './types.ts';
export { serve } from './serve.ts';
export { drainOnShutdown } from './drain-on-shutdown.ts';
export { trackConnections } from './connection-tracker.ts';
export { createHealthHandler } from './health.ts';
export { channels } from './diagnostics.ts';
export { drainWebSockets } from './websockets.ts';
