/** A string's characters (code points), as libyaml walks UTF-8 text. */
export const codePoints = (text: string): string[] => Array.from(text);

/** libyaml's IS_PRINTABLE (Psych sets `unicode`, so any printable non-ASCII is fine). */
export function isPrintable(code: number): boolean {
  return (
    code === 0x0a ||
    (code >= 0x20 && code <= 0x7e) ||
    (code >= 0xa0 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd && code !== 0xfeff)
  );
}

/** libyaml's IS_BREAK: CR, LF, NEL, LS, PS. */
export function isBreak(char: string | undefined): boolean {
  return (
    char === '\r' || char === '\n' || char === '\u0085' || char === '\u2028' || char === '\u2029'
  );
}
