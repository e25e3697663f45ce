/**
 * Serve an Express 4 or 5 app (or any `node:http` request listener) under Einhorn, with
 * graceful draining, a readiness handler and per-request worker identity.
 *
 * @module
 */
export type * from './types.ts';
export type {
  DrainEvent,
  FallbackListen,
  HealthHandlerOptions,
  ServeHandle,
  ServeState,
} from '@einhorn/net';
export { serveExpress } from './serve-express.ts';
export { exposeWorkerInfo, getWorkerInfo } from './worker-info.ts';
export { createHealthHandler } from '@einhorn/net';
