/**
 * The Einhorn protocol for Node.js, dependency-free: the worker environment, the encoding
 * side of command-socket messages, line framing, the options validator, and the typed errors
 * every `@einhorn/*` package throws. This is all a worker needs (`@einhorn/worker`,
 * `@einhorn/net` and the adapters use nothing else), and it loads neither zod nor yaml.
 *
 * Reading messages is opt-in, in two subpaths that need optional peer dependencies:
 * `@einhorn/core/yaml` (`decodeMessage`, `readRequest`; loads `yaml@2` only for a line that is
 * not plain JSON) and `@einhorn/core/schema` (the zod schemas and the validating parsers
 * `parseCommand`, `parseReply`; needs `zod@4`).
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
export { COMMAND_NAMES } from './protocol/command-names.ts';
export { DEFAULT_MAX_LINE_BYTES } from './internal/options.ts';
export { escapeLine, unescapeLine } from './protocol/escape.ts';
export { encodeMessage, encodeReply } from './protocol/encode.ts';
export { createLineSplitter } from './protocol/line-splitter.ts';
export { workerAck, workerPing } from './protocol/commands.ts';
export { OptionsValidator } from './options/options-validator.ts';
