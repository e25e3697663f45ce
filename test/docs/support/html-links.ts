// Checks the generated site offline: every relative href/src of every page points to a file
// that exists, and every #fragment to an id (or name) in that file.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** What the check covered and what it found. */
export interface SiteLinkReport {
  readonly pages: number;
  readonly checked: number;
  readonly broken: readonly string[];
}

const ATTRIBUTE = /\s(?:href|src)="([^"]*)"/g;
const EXTERNAL = /^(?:[a-z][a-z0-9+.-]*:|\/\/)/i;

/** Every .html file under `root`. */
export function htmlPages(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.html'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** Checks every relative link of every page under `root`. */
export function checkSiteLinks(root: string): SiteLinkReport {
  const idCache = new Map<string, Set<string>>();
  const idsOf = (file: string): Set<string> => {
    let ids = idCache.get(file);
    if (ids === undefined) {
      ids = new Set(
        [...readFileSync(file, 'utf8').matchAll(/\s(?:id|name)="([^"]+)"/g)].map((m) => m[1] ?? ''),
      );
      idCache.set(file, ids);
    }
    return ids;
  };
  const pages = htmlPages(root);
  const broken: string[] = [];
  let checked = 0;
  for (const page of pages) {
    for (const match of readFileSync(page, 'utf8').matchAll(ATTRIBUTE)) {
      const target = (match[1] ?? '').replace(/&amp;/g, '&');
      if (target === '' || target === '#' || EXTERNAL.test(target)) continue;
      checked += 1;
      const [pathAndQuery = '', fragment] = target.split('#', 2);
      const path = decodeURIComponent(pathAndQuery.split('?')[0] ?? '');
      const file = path === '' ? page : resolve(dirname(page), path);
      const where = `${page.slice(root.length + 1)} -> ${target}`;
      if (!existsSync(file) || statSync(file).isDirectory()) {
        broken.push(`${where}: no such file`);
      } else if (
        fragment !== undefined &&
        fragment !== '' &&
        !idsOf(file).has(decodeURIComponent(fragment))
      ) {
        broken.push(`${where}: no id "${fragment}"`);
      }
    }
  }
  return { pages: pages.length, checked, broken };
}
