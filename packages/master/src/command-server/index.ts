export { startCommandServer } from './start.ts';
export { COULD_NOT_PARSE_MESSAGE, NO_COMMAND_MESSAGE } from './request-handler.ts';
export type {
  CommandConnection,
  CommandDispatcher,
  CommandRequest,
  CommandServer,
  CommandServerEvent,
  CommandServerOptions,
  SendOptions,
} from './types.ts';
