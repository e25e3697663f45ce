/**
 * Splits a command line into words like Ruby's `Shellwords.shellsplit`, which einhorn applies to
 * `--reexec-as`: whitespace separates words; single quotes keep everything literal; double quotes
 * allow `\$ \` \" \\` and backslash-newline escapes; a backslash outside quotes escapes the next
 * character. No expansion of any kind.
 * @throws Error on an unmatched quote
 */
export function shellSplit(line: string): string[] {
  const words: string[] = [];
  const token = /\s*(?:([^\s\\'"]+)|'([^']*)'|"((?:[^"\\]|\\.)*)"|(\\.?)|(\S))(\s|$)?/gsy;
  let field = '';
  let match: RegExpExecArray | null;
  token.lastIndex = 0;
  while (token.lastIndex < line.length && (match = token.exec(line)) !== null) {
    const [whole, word, single, double, escape, garbage, separator] = match;
    if (whole === '') break;
    if (garbage !== undefined) throw new Error(`Unmatched quote: ${JSON.stringify(line)}`);
    if (word !== undefined) field += word;
    else if (single !== undefined) field += single;
    else if (double !== undefined) field += double.replace(/\\([$`"\\\n])/g, '$1');
    else if (escape !== undefined) field += escape.replace(/\\(.)/s, '$1');
    if (separator !== undefined || token.lastIndex === line.length) {
      words.push(field);
      field = '';
    }
  }
  return words;
}
