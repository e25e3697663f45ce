/**
 * Serve any `net.Server`, `http.Server` or `https.Server` under Einhorn: adopt the inherited
 * socket, listen, ACK, and drain on `SIGUSR2` without dropping requests.
 *
 * @module
 */
export type * from './types.ts';
export { serve } from './serve.ts';
export { trackConnections } from './connection-tracker.ts';
export { createHealthHandler } from './health.ts';
export { channels } from './diagnostics.ts';
