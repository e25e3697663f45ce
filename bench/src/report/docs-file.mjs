// Rewrites the generated part of docs/benchmarks.md (between the markers; the file is created
// with a short introduction if missing) and docs/assets/benchmarks.svg.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { renderMarkdown } from './markdown.mjs';
import { renderSvg } from './svg.mjs';

export const BEGIN = '<!-- bench:begin -->';
export const END = '<!-- bench:end -->';

const INTRO = `# Benchmarks

Our master (\`einhorn-node\`) and adapters side by side with Node's \`cluster\` (round-robin and
SCHED_NONE), a single process and per-worker \`reusePort\`, on the same machine in the same run.
Targets and method: the benchmark issue and \`bench/README.md\`. Regenerate with \`npm run bench\`
(about 14 minutes; \`npm run bench -- --quick\` for a 3-minute check that does not touch this page).

${BEGIN}
${END}
`;

/** Replaces the text between the markers; throws if they are missing or out of order. */
export function replaceBetweenMarkers(document, generated) {
  const begin = document.indexOf(BEGIN);
  const end = document.indexOf(END);
  if (begin < 0 || end < begin)
    throw new Error(`docs/benchmarks.md must contain ${BEGIN} followed by ${END}.`);
  return `${document.slice(0, begin + BEGIN.length)}\n${generated}\n${document.slice(end)}`;
}

export function writeDocs(results, repo) {
  const markdownPath = join(repo, 'docs/benchmarks.md');
  const svgPath = join(repo, 'docs/assets/benchmarks.svg');
  const current = existsSync(markdownPath) ? readFileSync(markdownPath, 'utf8') : INTRO;
  writeFileSync(markdownPath, replaceBetweenMarkers(current, renderMarkdown(results)));
  mkdirSync(dirname(svgPath), { recursive: true });
  writeFileSync(svgPath, renderSvg(results));
  return [markdownPath, svgPath];
}
