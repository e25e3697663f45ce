import { z } from 'zod';
import { EinhornError } from '../errors/einhorn-error.ts';
import type { JsonValue } from '../errors/einhorn-error.ts';

/** Default for every `maxLineBytes` option: 1 MiB. */
export const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;

const maxLineBytesSchema = z.int().positive();

/** zod issues as JSON-safe `details` entries. */
export function issuesToJson(error: z.ZodError): JsonValue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
}

/** Validates `maxLineBytes`, throwing `ERR_EINHORN_INVALID_OPTIONS` with the zod error as `cause`. */
export function resolveMaxLineBytes(
  options: { readonly maxLineBytes?: number } | undefined,
): number {
  const value = options?.maxLineBytes;
  if (value === undefined) return DEFAULT_MAX_LINE_BYTES;
  const result = maxLineBytesSchema.safeParse(value);
  if (result.success) return result.data;
  throw new EinhornError(
    'ERR_EINHORN_INVALID_OPTIONS',
    `Expected maxLineBytes to be a positive integer, but found ${String(value)}; omit it to use ${DEFAULT_MAX_LINE_BYTES}.`,
    {
      cause: result.error,
      details: { option: 'maxLineBytes', found: String(value), issues: issuesToJson(result.error) },
    },
  );
}
