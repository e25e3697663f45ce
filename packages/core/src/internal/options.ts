import { OptionsValidator } from '../options/options-validator.ts';

/** Default for every `maxLineBytes` option: 1 MiB. */
export const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;

/**
 * Validates `maxLineBytes` (a positive integer, when given) and returns it or the default.
 *
 * @param options - the caller's options object.
 * @param what - names the options object in the error, e.g. `'createLineSplitter() options'`.
 * @throws EinhornError `ERR_EINHORN_INVALID_OPTIONS`, from {@link OptionsValidator}.
 */
export function resolveMaxLineBytes(
  options: { readonly maxLineBytes?: number } | undefined,
  what: string,
): number {
  const v = new OptionsValidator(options);
  v.integer('maxLineBytes', 1);
  v.throwIfInvalid(what);
  return options?.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
}
