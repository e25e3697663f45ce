/**
 * The zod schemas behind `@einhorn/core`, for validating Einhorn data with your own zod
 * code. This entry point is tied to zod's major version (4); `@einhorn/core` itself is not.
 *
 * @module
 */
export { envSchema } from './schemas/env.ts';
export { commandSchema, commandSchemas, requestIdSchema } from './schemas/command.ts';
export { replySchema } from './schemas/reply.ts';
