const ESCAPES: Readonly<Record<string, string>> = { '%': '%25', '\n': '%0A' };
const UNESCAPES: Readonly<Record<string, string>> = { '%25': '%', '%0A': '\n' };

/**
 * Escapes text for one command-socket line: `%` → `%25` and LF → `%0A`, in one pass.
 * Nothing else changes (CR is not escaped), exactly as einhorn ≥ 0.8.1 does.
 *
 * @param text - the message body (YAML or JSON text).
 * @returns text without any LF, safe to end with `\n`.
 * @example
 * ```ts
 * escapeLine('100%\n'); // '100%25%0A'
 * ```
 */
export function escapeLine(text: string): string {
  return text.replace(/[%\n]/g, (char) => ESCAPES[char] ?? char);
}

/**
 * Undoes {@link escapeLine}: only the exact sequences `%25` and `%0A` are decoded, in one
 * left-to-right pass. Every other `%XX` (including lowercase `%0a`) stays literal, so
 * `stat%65` stays `stat%65` (check 19) and `%2541` becomes `%41`, not `A`.
 *
 * @param text - one received line, without its final `\n`.
 * @returns the message body.
 * @example
 * ```ts
 * unescapeLine('---%0Acommand: inc%0A'); // '---\ncommand: inc\n'
 * ```
 */
export function unescapeLine(text: string): string {
  return text.replace(/%(?:25|0A)/g, (sequence) => UNESCAPES[sequence] ?? sequence);
}
