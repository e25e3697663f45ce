/** One command of an einhornsh input line: a name and its string arguments. */
export interface ShellCommand {
  readonly command: string;
  readonly args: readonly string[];
}

// Ruby's Shellwords.shellsplit, token by token: a bare word, a 'single-quoted' or "double-quoted"
// string, a backslash escape, or an unmatched quote (the garbage group), then a separator; the
// word also ends at the end of the input (Ruby's `(\s|\z)?`, which JavaScript cannot express).
const TOKEN =
  /[ \t\r\n\f\v]*(?:([^ \t\r\n\f\v\\'"]+)|'([^']*)'|"((?:[^"\\]|\\[\s\S])*)"|(\\[\s\S]?)|(\S))([ \t\r\n\f\v])?/y;

/** Thrown by {@link shellSplit} for input like `a "b`. */
export class UnmatchedQuoteError extends Error {
  override readonly name = 'UnmatchedQuoteError';
}

/**
 * Splits one command line into words exactly like Ruby's `Shellwords.shellsplit`.
 *
 * @param line - The text to split.
 * @returns The words, quotes removed and escapes applied.
 * @throws {UnmatchedQuoteError} for an unmatched quote, as Ruby raises `ArgumentError`.
 */
export function shellSplit(line: string): string[] {
  const words: string[] = [];
  let field = '';
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < line.length) {
    const match = TOKEN.exec(line);
    if (match === null) break;
    const [, word, single, double, escape, garbage, separator] = match;
    if (garbage !== undefined)
      throw new UnmatchedQuoteError(`Unmatched quote: ${JSON.stringify(line)}`);
    if (word !== undefined) field += word;
    else if (single !== undefined) field += single;
    else if (double !== undefined) field += double.replace(/\\([$`"\\\n])/g, '$1');
    else if (escape !== undefined)
      field += escape.length === 2 && escape[1] !== '\n' ? escape.slice(1) : escape;
    if (separator !== undefined || TOKEN.lastIndex === line.length) {
      words.push(field);
      field = '';
    }
  }
  return words;
}

/**
 * Splits an einhornsh input line (or `-e` value) into commands: first on every `;` (naively,
 * quotes do not protect it, as in einhornsh), then each part with {@link shellSplit}. Empty parts
 * are skipped.
 *
 * @param sequence - E.g. `inc; set_workers 3`.
 * @returns The commands in order.
 * @throws {UnmatchedQuoteError} for an unmatched quote in any part.
 */
export function splitCommandSequence(sequence: string): ShellCommand[] {
  const commands: ShellCommand[] = [];
  for (const part of sequence.split(';')) {
    const [command, ...args] = shellSplit(part);
    if (command !== undefined) commands.push({ command, args });
  }
  return commands;
}
