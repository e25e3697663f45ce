// Citations in the repository's own text: numbered conformance checks ("check 38", "checks 22–26"),
// the table of docs/reference/checks.md, and references that point outside the repository.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { REPO } from './repo.ts';

/** Directories that never hold the project's own text (generated, installed or tool state). */
const SKIPPED_DIRS = new Set([
  '.git',
  'node_modules',
  'dist',
  '.turbo',
  'coverage',
  '.test-results',
]);
const SKIPPED_PATHS = new Set(['docs/api', 'package-lock.json']);
/** Binary or generated-image files: nothing to read. */
const BINARY = /\.(png|jpe?g|gif|ico|svg|gz|tgz|zip|woff2?)$/;

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    const rel = relative(REPO, path);
    if (SKIPPED_PATHS.has(rel)) return [];
    if (entry.isDirectory()) return SKIPPED_DIRS.has(entry.name) ? [] : walk(path);
    return entry.isFile() ? [rel] : [];
  });
}

/**
 * The repository's text files, relative to its root: what git tracks plus new files it does not
 * ignore (so that a change is checked before it is committed). Without git (an exported tree),
 * the directory is walked, leaving out installed, generated and tool directories.
 */
export function repositoryTextFiles(): string[] {
  const git = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: REPO,
    encoding: 'utf8',
  });
  const files =
    git.status === 0 ? git.stdout.split('\0').filter((path) => path !== '') : walk(REPO);
  return [...new Set(files)]
    .filter((path) => !SKIPPED_PATHS.has(path) && !path.startsWith('docs/api/'))
    .filter((path) => !BINARY.test(path) && existsSync(join(REPO, path)))
    .sort();
}

/** A file's text, relative to the repository root. */
export function readRepoFile(path: string): string {
  return readFileSync(join(REPO, path), 'utf8');
}

const CITATION = /\bchecks?\s+(\d+(?:\s*(?:[-–—]|,|and|or|to)\s*\d+)*)/gi;

/**
 * The check numbers a text cites: "check 38", "(check 33)", "checks 22-25", "checks 22–26",
 * "checks 1, 2, 29, 31", "checks 41 and 43". Ranges are expanded; "Check NN" cites nothing.
 */
export function citedChecks(text: string): number[] {
  const cited = new Set<number>();
  for (const match of text.matchAll(CITATION)) {
    for (const part of (match[1] ?? '').split(/\s*(?:,|\band\b|\bor\b)\s*/)) {
      const range = /^(\d+)\s*(?:[-–—]|to)\s*(\d+)$/.exec(part.trim());
      if (range) {
        for (let n = Number(range[1]); n <= Number(range[2]); n++) cited.add(n);
      } else if (/^\d+$/.test(part.trim())) {
        cited.add(Number(part.trim()));
      }
    }
  }
  return [...cited].sort((a, b) => a - b);
}

/** One row of the table in docs/reference/checks.md. */
export interface CheckRow {
  readonly number: number;
  /** `[W]`, `[M]`, `[C]` or a combination such as `[W][M]`. */
  readonly tag: string;
  readonly summary: string;
  /** The files in the "Tested in" column (code spans), relative to the repository root. */
  readonly testedIn: readonly string[];
  readonly line: number;
}

/** The rows of the checks table: lines of the form `| N | [T] | summary | `file`, ... |`. */
export function checkRows(markdown: string): CheckRow[] {
  return markdown.split('\n').flatMap((text, index) => {
    if (!/^\|\s*\d+\s*\|/.test(text)) return [];
    const cells = text
      .replace(/^\|/, '')
      .replace(/\|\s*$/, '')
      .split(/\s\|\s/)
      .map((cell) => cell.trim());
    const [number = '', tag = '', summary = '', testedIn = ''] = cells;
    return [
      {
        number: Number(number),
        tag,
        summary,
        testedIn: [...testedIn.matchAll(/`([^`]+)`/g)].map((match) => match[1] ?? ''),
        line: index + 1,
      },
    ];
  });
}

/** Section numbers that docs/reference/protocol.md's headings carry ("## 9.1 ACK"), if any. */
export function numberedSections(markdown: string): Set<string> {
  const sections = new Set<string>();
  for (const match of markdown.matchAll(/^#{1,6}\s+(\d+(?:\.\d+)*)\.?\s/gm))
    if (match[1] !== undefined) sections.add(match[1]);
  return sections;
}

/** A reference that points outside the repository, or at a section that does not exist. */
export interface OutsideReference {
  readonly line: number;
  readonly text: string;
  readonly reason: string;
}

/**
 * References in `text` that readers of the repository cannot follow: paths into a sibling
 * `shared/` directory or `/work/shared`, upper-case `NAME.md` documents that are not in the
 * repository (`known` holds the base names of its files), and `§N` section numbers that
 * docs/reference/protocol.md does not have (`sections`).
 */
export function outsideReferences(
  text: string,
  known: ReadonlySet<string>,
  sections: ReadonlySet<string>,
): OutsideReference[] {
  const found: OutsideReference[] = [];
  text.split('\n').forEach((line, index) => {
    const add = (match: string, reason: string): void => {
      found.push({ line: index + 1, text: match, reason });
    };
    for (const match of line.matchAll(/(?:\.\.\/)+shared\/[\w./-]*|\/work\/shared\b[\w./-]*/g))
      add(match[0], 'a path outside the repository');
    for (const match of line.matchAll(/\b[A-Z][A-Z0-9_-]*\.md\b/g))
      if (!known.has(match[0])) add(match[0], 'a document that is not in the repository');
    for (const match of line.matchAll(/§\s*(\d+(?:\.\d+)*)/g))
      if (!sections.has(match[1] ?? ''))
        add(match[0], 'a section number docs/reference/protocol.md does not have');
  });
  return found;
}

/** Base names of the given repository files, for {@link outsideReferences}. */
export function baseNames(files: readonly string[]): Set<string> {
  return new Set(files.map((file) => basename(file)));
}
