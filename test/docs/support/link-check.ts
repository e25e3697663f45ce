// Resolves the relative links of markdown files the way github.com does: a path relative to
// the file (or to the repository root when it starts with '/'), and an optional '#anchor' that
// must name a heading or an HTML id of the target markdown file.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { anchors, links } from './markdown.ts';

/** A link that does not resolve. */
export interface BrokenLink {
  readonly file: string;
  readonly line: number;
  readonly target: string;
  readonly reason: string;
}

/** What a check covered. */
export interface LinkReport {
  readonly checked: number;
  readonly anchorsChecked: number;
  readonly external: number;
  readonly broken: readonly BrokenLink[];
}

const EXTERNAL = /^(?:[a-z][a-z0-9+.-]*:|\/\/)/i;
/**
 * Absolute links into this repository (package READMEs use them, so that they work on the npm
 * registry's page): checked as the local file they name. The URL is the canonical one of
 * scripts/package-metadata.mjs (REPOSITORY, DOCS_BRANCH).
 */
export const REPOSITORY_FILE_URL =
  /^https:\/\/github\.com\/einhorn-node\/einhorn-node\/(?:blob|tree)\/main\//;

/** Checks every relative link of `files`; `root` is where '/'-links start. */
export function checkLinks(files: readonly string[], root: string): LinkReport {
  const anchorCache = new Map<string, Set<string>>();
  const anchorsOf = (path: string): Set<string> => {
    let found = anchorCache.get(path);
    if (found === undefined) {
      found = anchors(readFileSync(path, 'utf8'));
      anchorCache.set(path, found);
    }
    return found;
  };
  const broken: BrokenLink[] = [];
  let checked = 0;
  let anchorsChecked = 0;
  let external = 0;
  for (const file of files) {
    for (const link of links(readFileSync(file, 'utf8'))) {
      const { line } = link;
      const inRepository = REPOSITORY_FILE_URL.test(link.target);
      const target = inRepository
        ? `/${link.target.replace(REPOSITORY_FILE_URL, '')}`
        : link.target;
      if (!inRepository && EXTERNAL.test(target)) {
        external += 1;
        continue;
      }
      checked += 1;
      const hash = target.indexOf('#');
      const rawPath = hash < 0 ? target : target.slice(0, hash);
      const anchor = hash < 0 ? undefined : decodeURIComponent(target.slice(hash + 1));
      const path = decodeURIComponent(rawPath.split('?')[0] ?? '');
      const resolved =
        path === '' ? file : path.startsWith('/') ? join(root, path) : resolve(dirname(file), path);
      const report = (reason: string): void => {
        broken.push({ file, line, target, reason });
      };
      if (!existsSync(resolved)) {
        report(`${resolved} does not exist`);
        continue;
      }
      if (anchor === undefined) continue;
      anchorsChecked += 1;
      if (statSync(resolved).isDirectory() || !resolved.endsWith('.md')) {
        report('an anchor into something that is not a markdown file cannot be checked');
        continue;
      }
      if (!anchorsOf(resolved).has(anchor)) {
        report(`no heading or id "${anchor}" in ${resolved}`);
      }
    }
  }
  return { checked, anchorsChecked, external, broken };
}
