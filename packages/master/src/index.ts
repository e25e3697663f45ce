/**
 * A real Einhorn master in TypeScript (`einhorn-node`) and its command-socket server. The typed
 * command client and the `einhornsh-node` shell are in `@einhorn/client`.
 *
 * @module
 */
export type * from './types.ts';
export { createMaster } from './master.ts';
export { handleMasterSignals } from './signals/master-signals.ts';
export type { MasterSignalOptions } from './signals/master-signals.ts';
export { defaultMasterPaths } from './state/paths.ts';
export type { MasterPaths } from './state/paths.ts';
export { EINHORN_NODE_VERSION } from './state/version.ts';
export { MASTER_CHANNELS } from './log/channels.ts';
export { startCommandServer } from './command-server/index.ts';
export type {
  CommandConnection,
  CommandDispatcher,
  CommandRequest,
  CommandServer,
  CommandServerEvent,
  CommandServerOptions,
  SendOptions,
} from './command-server/index.ts';
export { helpMessage } from './help.ts';
