// The guides' convention for TypeScript: every ```ts block is a copy of a compiled file in
// docs/examples, announced by the HTML comment (invisible once rendered) on the line before it:
//
//   <!-- include: ../examples/express-app.ts -->         the whole file, minus region markers
//   <!-- include: ../examples/express-app.ts#serve -->   the lines between `// #region serve`
//                                                          and `// #endregion serve`
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { CodeBlock } from './markdown.ts';

const INCLUDE = /^<!--\s*include:\s*(\S+?)\s*-->$/;
const REGION_MARKER = /^\s*\/\/ #(?:end)?region\b/;

/** Languages whose blocks must be includes. */
export const TYPESCRIPT_LANGS: ReadonlySet<string> = new Set(['ts', 'typescript', 'tsx', 'mts']);

/** The include a code block announces, if any. */
export interface Include {
  /** Absolute path of the included file. */
  readonly file: string;
  readonly region: string | undefined;
}

/** Parses the include comment above `block`, resolving the path against the markdown file. */
export function includeOf(block: CodeBlock, markdownPath: string): Include | undefined {
  const match = INCLUDE.exec(block.before);
  if (match === null) return undefined;
  const [path = '', region] = (match[1] ?? '').split('#');
  return { file: resolve(dirname(markdownPath), path), region: region === '' ? undefined : region };
}

/**
 * What an include must show: the region's lines, or the whole file without its region markers.
 * @throws Error when the region does not exist or is not closed.
 */
export function expectedContent(include: Include): string {
  const lines = readFileSync(include.file, 'utf8').split('\n');
  if (include.region === undefined) {
    return lines.filter((line) => !REGION_MARKER.test(line)).join('\n');
  }
  const start = lines.findIndex((line) => line.trim() === `// #region ${include.region}`);
  const end = lines.findIndex((line) => line.trim() === `// #endregion ${include.region}`);
  if (start < 0 || end < start)
    throw new Error(`${include.file} has no closed region "${include.region}"`);
  return lines
    .slice(start + 1, end)
    .filter((line) => !REGION_MARKER.test(line))
    .map((line) => `${line}\n`)
    .join('');
}
