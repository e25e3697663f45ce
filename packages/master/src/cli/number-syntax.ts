// einhorn reads its numeric options with Ruby's Float() and Integer(): surrounding blanks are
// allowed, anything else after the number is not ("3abc" is refused, not read as 3).

const SECONDS = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const INTEGER = /^[+-]?\d+$/;

/**
 * A number of seconds as einhorn's `Float()` reads it: `2`, `0.5`, `.5`, `1e-1`, `+3`.
 * @returns the number, or undefined when the text is not one (or is not finite, like `1e999`).
 */
export function parseSeconds(text: string): number | undefined {
  const trimmed = text.trim();
  if (!SECONDS.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : undefined;
}

/**
 * An integer as einhorn's `Integer()` reads it in decimal: `3`, `+3`, `-1`, ` 7 `.
 * @returns the number, or undefined when the text is not a decimal integer.
 */
export function parseInteger(text: string): number | undefined {
  const trimmed = text.trim();
  return INTEGER.test(trimmed) ? Number(trimmed) : undefined;
}

/** `--graceful-signal` as einhorn takes it: any case, with or without `SIG` (`term` → `SIGTERM`). */
export function normalizeSignalOption(text: string): string {
  const upper = text.toUpperCase();
  return upper.startsWith('SIG') ? upper : `SIG${upper}`;
}
