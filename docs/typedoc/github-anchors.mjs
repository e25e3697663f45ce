// @ts-check
// A typedoc plugin (loaded from typedoc.json) that gives every heading of the generated pages the
// anchor github.com gives it too, so that a link such as `ruby-einhorn.md#why--m-manual` works
// both on GitHub and on the site. typedoc's own heading ids leave out inline code and collapse
// "--" ("Why `-m manual`" becomes "why"), so where they differ an extra, empty anchor with the
// GitHub id is put in front of the heading. typedoc's ids, and links to them, are unchanged.
import { PageEvent } from 'typedoc';

const HEADING = /<h([1-6]) id="([^"]*)" class="tsd-anchor-link">([\s\S]*?)<\/h\1>/g;
const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'" };

/** @param {string} html */
function headingText(html) {
  return html
    .replace(/<a [^>]*class="tsd-anchor-icon"[\s\S]*?<\/a>/g, '')
    .replace(/<[^>]+>/g, '')
    .replace(
      /&(amp|lt|gt|quot|#39|#x27);/g,
      (_, name) => ENTITIES[/** @type {keyof ENTITIES} */ (name)],
    );
}

/** github-slugger: lower-case; keep letters, marks, digits, connector punctuation, spaces, hyphens. */
/** @param {string} text */
function githubSlug(text) {
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/**
 * Adds the GitHub anchors to one page.
 * @param {string} html
 * @returns {string}
 */
export function addGithubAnchors(html) {
  const ids = new Set([...html.matchAll(/\sid="([^"]+)"/g)].map((match) => match[1]));
  /** @type {Map<string, number>} */
  const seen = new Map();
  return html.replace(HEADING, (heading, _level, id, inner) => {
    const base = githubSlug(headingText(inner));
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    const slug = count === 0 ? base : `${base}-${count}`;
    if (slug === '' || slug === id || ids.has(slug)) return heading;
    ids.add(slug);
    return `<a id="${slug}" aria-hidden="true"></a>${heading}`;
  });
}

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.renderer.on(PageEvent.END, (page) => {
    if (page.contents !== undefined) page.contents = addGithubAnchors(page.contents);
  });
}
