/**
 * Validation of Einhorn data with zod: the schemas, and the parsers that decode a
 * command-socket line and validate it as a command or a reply.
 *
 * For the master, the command-socket client, and users who validate Einhorn messages or
 * environments with their own zod code. Workers do not need it.
 *
 * Requires the optional peer dependency `zod@4`, and `yaml@2` for YAML lines (the parsers decode
 * with `@einhorn/core/yaml`): `npm install zod@4 yaml@2`. This entry point follows zod's major
 * version; `@einhorn/core` itself does not depend on zod. `readRequest` is the zod-free function
 * of `@einhorn/core/yaml`, re-exported here.
 *
 * @module
 */
export { envSchema } from './schemas/env.ts';
export { commandSchema, commandSchemas, requestIdSchema } from './schemas/command.ts';
export { replySchema } from './schemas/reply.ts';
export { parseCommand, parseReply } from './protocol/parse-message.ts';
export { readRequest } from './protocol/read-request.ts';
