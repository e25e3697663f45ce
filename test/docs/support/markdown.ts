// Just enough markdown for the docs suite: fenced code blocks, links, headings and their
// GitHub anchors, as github.com renders them (the repository's markdown is read there first).

/** A fenced code block. */
export interface CodeBlock {
  /** The info string's first word (`ts`, `sh`, …); '' when absent. */
  readonly lang: string;
  /** The lines between the fences, each with its newline. */
  readonly content: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  /** The nearest non-blank line above the opening fence. */
  readonly before: string;
}

/** A link or image target found in prose. */
export interface Link {
  readonly target: string;
  /** 1-based line. */
  readonly line: number;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([^\s`]*)/;

/** The fenced code blocks of `text`, in order. */
export function codeBlocks(text: string): CodeBlock[] {
  const lines = text.split('\n');
  const blocks: CodeBlock[] = [];
  let open:
    { fence: string; lang: string; line: number; before: string; body: string[] } | undefined;
  let lastNonBlank = '';
  lines.forEach((line, i) => {
    if (open === undefined) {
      const match = FENCE.exec(line);
      if (match !== null) {
        open = {
          fence: match[1] ?? '```',
          lang: match[2] ?? '',
          line: i + 1,
          before: lastNonBlank,
          body: [],
        };
      } else if (line.trim() !== '') {
        lastNonBlank = line.trim();
      }
      return;
    }
    if (line.trim().startsWith(open.fence) && line.trim().replace(/[`~]/g, '') === '') {
      blocks.push({
        lang: open.lang,
        content: open.body.map((body) => `${body}\n`).join(''),
        line: open.line,
        before: open.before,
      });
      open = undefined;
      lastNonBlank = '';
      return;
    }
    open.body.push(line);
  });
  return blocks;
}

/**
 * `text` with fenced code blocks blanked out (line numbers kept) and, unless `keepInlineCode`,
 * inline code spans removed.
 */
export function proseOnly(text: string, keepInlineCode = false): string {
  const lines = text.split('\n');
  let fence: string | undefined;
  return lines
    .map((line) => {
      const match = FENCE.exec(line);
      if (fence === undefined && match !== null) {
        fence = match[1];
        return '';
      }
      if (fence !== undefined) {
        if (line.trim().startsWith(fence) && line.trim().replace(/[`~]/g, '') === '')
          fence = undefined;
        return '';
      }
      return keepInlineCode ? line : line.replace(/(`+)(?:(?!\1).)+?\1/g, '');
    })
    .join('\n');
}

const INLINE_LINK = /!?\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]+)>?(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)/g;
const REFERENCE_DEFINITION = /^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$/;
const HTML_ATTRIBUTE = /<(?:a|img|source)\b[^>]*?\s(?:href|src)\s*=\s*["']([^"']+)["']/gi;

/** Every link and image target in the prose of `text` (code is skipped). */
export function links(text: string): Link[] {
  const found: Link[] = [];
  proseOnly(text)
    .split('\n')
    .forEach((line, i) => {
      for (const match of line.matchAll(INLINE_LINK))
        found.push({ target: match[1] ?? '', line: i + 1 });
      for (const match of line.matchAll(HTML_ATTRIBUTE))
        found.push({ target: match[1] ?? '', line: i + 1 });
      const definition = REFERENCE_DEFINITION.exec(line);
      if (definition !== null) found.push({ target: definition[1] ?? '', line: i + 1 });
    });
  return found;
}

/**
 * The anchor github.com gives a heading: the rendered text, lower-cased, with everything but
 * letters, marks, digits, connector punctuation, spaces and hyphens removed, spaces turned into
 * hyphens (github-slugger).
 */
export function githubSlug(heading: string): string {
  const rendered = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // links and images: their text
    .replace(/<[^>]+>/g, '') // inline HTML tags
    .replace(/`([^`]*)`/g, '$1') // code spans: their content
    .replace(/(\*\*|__)(.+?)\1/g, '$2') // strong
    .replace(/(\*|\b_)(.+?)(\*|_\b)/g, '$2'); // emphasis
  return rendered
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** Every anchor a link may target in `text`: heading slugs (deduplicated as GitHub does) and HTML ids. */
export function anchors(text: string): Set<string> {
  const result = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of proseOnly(text, true).split('\n')) {
    const heading = /^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading !== null) {
      const slug = githubSlug(heading[1] ?? '');
      const count = seen.get(slug) ?? 0;
      seen.set(slug, count + 1);
      result.add(count === 0 ? slug : `${slug}-${count}`);
    }
    for (const match of line.matchAll(/\s(?:id|name)\s*=\s*["']([^"']+)["']/g))
      result.add(match[1] ?? '');
  }
  return result;
}
