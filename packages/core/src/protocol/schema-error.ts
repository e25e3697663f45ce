import { EinhornProtocolError } from '../errors/errors.ts';
import type { FieldIssue } from './request-fields.ts';

/**
 * The `ERR_EINHORN_PROTOCOL_SCHEMA` error for a decoded value that does not match what was
 * expected: the message names the first issue, `details.issues` lists them all as
 * `{ path, message }`. Free of zod, so `readRequest` can build it; the zod parsers pass their
 * `ZodError` as `cause`.
 */
export function schemaIssuesError(
  what: string,
  issues: readonly FieldIssue[],
  cause?: unknown,
): EinhornProtocolError {
  const [first] = issues;
  const where = first === undefined || first.path === '' ? '' : ` at "${first.path}"`;
  return new EinhornProtocolError(
    'ERR_EINHORN_PROTOCOL_SCHEMA',
    `Expected ${what}, but the message does not match${where} (${first?.message ?? 'invalid'}); see the protocol reference for its fields.`,
    {
      ...(cause === undefined ? {} : { cause }),
      details: { expected: what, issues: issues.map(({ path, message }) => ({ path, message })) },
    },
  );
}
