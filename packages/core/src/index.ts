/**
 * The Einhorn protocol for Node.js: the worker environment, command-socket messages and
 * their line codec, and the typed errors every `@einhorn/*` package throws.
 *
 * @module
 */
export type * from './types.ts';
export { ErrorCodes } from './errors/codes.ts';
export type { ErrorCode } from './errors/codes.ts';
export { EinhornError, isEinhornError } from './errors/einhorn-error.ts';
export type { EinhornErrorOptions, JsonValue } from './errors/einhorn-error.ts';
export {
  EinhornAckError,
  EinhornClientError,
  EinhornEnvError,
  EinhornFdError,
  EinhornMasterError,
  EinhornProtocolError,
  EinhornShutdownError,
} from './errors/errors.ts';
export type {
  AckErrorCode,
  ClientErrorCode,
  EnvErrorCode,
  FdErrorCode,
  MasterErrorCode,
  ProtocolErrorCode,
  ShutdownErrorCode,
} from './errors/errors.ts';
export {
  ENV,
  fdEnvKey,
  parseEinhornEnv,
  safeParseEinhornEnv,
  serializeEinhornEnv,
  stripEinhornEnv,
} from './env.ts';
export { COMMAND_NAMES } from './schemas/command.ts';
export { DEFAULT_MAX_LINE_BYTES } from './internal/options.ts';
export { escapeLine, unescapeLine } from './protocol/escape.ts';
export { decodeMessage, encodeMessage, encodeReply } from './protocol/codec.ts';
export { parseCommand, parseReply } from './protocol/parse-message.ts';
export { readRequest } from './protocol/read-request.ts';
export { createLineSplitter } from './protocol/line-splitter.ts';
export { workerAck, workerPing } from './protocol/commands.ts';
export { OptionsValidator } from './options/options-validator.ts';
