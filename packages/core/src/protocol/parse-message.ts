import type { z } from 'zod';
import type { EinhornProtocolError } from '../errors/errors.ts';
import { commandSchema } from '../schemas/command.ts';
import { replySchema } from '../schemas/reply.ts';
import type { DecodeOptions, EinhornCommand, EinhornReply } from '../types.ts';
import { decodeMessage } from './decode.ts';
import { schemaIssuesError } from './schema-error.ts';

/** Builds the `ERR_EINHORN_PROTOCOL_SCHEMA` error for a decoded value that failed `schema`. */
export function schemaError(what: string, error: z.ZodError): EinhornProtocolError {
  const issues = error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
  return schemaIssuesError(what, issues, error);
}

interface Expectation<T> {
  readonly schema: z.ZodType<T>;
  readonly what: string;
}

function decodeWith<T>(line: string, { schema, what }: Expectation<T>, options?: DecodeOptions): T {
  const result = schema.safeParse(decodeMessage(line, options));
  if (!result.success) throw schemaError(what, result.error);
  return result.data;
}

/**
 * Decodes a request line and validates it as an {@link EinhornCommand}.
 * For the master's full classification (which reply to send), use {@link readRequest}.
 *
 * @param line - one line, with or without its `\n`.
 * @param options - see {@link DecodeOptions}.
 * @returns the typed command; unknown keys are dropped and `null` fields count as absent.
 * @throws EinhornProtocolError `ERR_EINHORN_PROTOCOL_DECODE`, `ERR_EINHORN_PROTOCOL_LINE_TOO_LONG`,
 *   or `ERR_EINHORN_PROTOCOL_SCHEMA` (with the zod error as `cause`).
 * @example
 * ```ts
 * const command = parseCommand('{"command":"worker:ack","pid":123}\n');
 * if (command.command === 'worker:ack') markAcked(command.pid);
 * ```
 */
export function parseCommand(line: string, options?: DecodeOptions): EinhornCommand {
  return decodeWith(
    line,
    { schema: commandSchema, what: 'a command object such as {"command":"worker:ack","pid":123}' },
    options,
  );
}

/**
 * Decodes a reply line from the master and validates it as an {@link EinhornReply}.
 *
 * @param line - one line, with or without its `\n`.
 * @param options - see {@link DecodeOptions}.
 * @returns `{ message, request_id?, wait? }`.
 * @throws EinhornProtocolError `ERR_EINHORN_PROTOCOL_DECODE`, `ERR_EINHORN_PROTOCOL_LINE_TOO_LONG`,
 *   or `ERR_EINHORN_PROTOCOL_SCHEMA`.
 * @example
 * ```ts
 * parseReply('---%0Amessage: Verbosity set to 1%0Arequest_id: 5%0A'); // { message: 'Verbosity set to 1', request_id: 5 }
 * ```
 */
export function parseReply(line: string, options?: DecodeOptions): EinhornReply {
  return decodeWith(
    line,
    { schema: replySchema, what: 'a reply object such as {"message":"done","request_id":1}' },
    options,
  );
}
