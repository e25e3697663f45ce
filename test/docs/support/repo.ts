// Where the documentation lives, and which files the docs suite checks.
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const DOCS = join(REPO, 'docs');
export const GUIDES = join(DOCS, 'guides');
export const DOC_EXAMPLES = join(DOCS, 'examples');
export const DEPLOY = join(DOCS, 'deploy');
export const MASTER_CLI = join(REPO, 'packages/master/dist/cli.cjs');
export const SHELL_CLI = join(REPO, 'packages/client/dist/shell-cli.js');
/** The `einhornsh-node` bin link npm creates, which the deployment files call. */
export const SHELL_BIN = join(REPO, 'node_modules/.bin/einhornsh-node');

/** `path` relative to the repository root, for messages. */
export function repoPath(path: string): string {
  return relative(REPO, path);
}

function markdownUnder(dir: string, skip: ReadonlySet<string>): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.md'))
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((path) => ![...skip].some((prefix) => path.startsWith(prefix)))
    .sort();
}

function readmesIn(dir: string): string[] {
  return readdirSync(join(REPO, dir), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(REPO, dir, entry.name, 'README.md'))
    .filter((path) => existsSync(path))
    .sort();
}

/**
 * Every markdown file whose links must resolve: docs/ (without the generated docs/api),
 * packages/<name>/README.md, examples/<name>/README.md and the root README.md.
 */
export function markdownFiles(): string[] {
  return [
    ...markdownUnder(DOCS, new Set([join(DOCS, 'api') + '/', join(DOC_EXAMPLES, 'dist') + '/'])),
    ...readmesIn('packages'),
    ...readmesIn('examples'),
    join(REPO, 'README.md'),
  ];
}

/** The guides: docs/guides/*.md. */
export function guideFiles(): string[] {
  return readdirSync(GUIDES)
    .filter((name) => name.endsWith('.md'))
    .map((name) => join(GUIDES, name))
    .sort();
}

/** The compiled guide examples: docs/examples/*.ts. */
export function exampleSources(): string[] {
  return readdirSync(DOC_EXAMPLES)
    .filter((name) => name.endsWith('.ts'))
    .map((name) => join(DOC_EXAMPLES, name))
    .sort();
}
