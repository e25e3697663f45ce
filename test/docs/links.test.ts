// Every relative link and anchor in the repository's markdown resolves (docs/, the package and
// example READMEs, the root README), as github.com resolves them.
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkLinks } from './support/link-check.ts';
import { anchors, githubSlug, links } from './support/markdown.ts';
import { REPO, markdownFiles, repoPath } from './support/repo.ts';

describe('markdown links', () => {
  it('every relative link and anchor in docs/, the READMEs and README.md resolves', () => {
    const files = markdownFiles();
    // The set the brief names must really be covered, not silently empty.
    expect(files.map(repoPath)).toEqual(
      expect.arrayContaining([
        'README.md',
        'docs/index.md',
        'docs/guides/getting-started.md',
        'docs/reference/protocol.md',
        'packages/net/README.md',
        'examples/http/README.md',
      ]),
    );
    const report = checkLinks(files, REPO);
    const broken = report.broken.map(
      ({ file, line, target, reason }) => `${repoPath(file)}:${line} ${target}: ${reason}`,
    );
    expect(broken).toEqual([]);
    expect(report.checked).toBeGreaterThan(50);
    expect(report.anchorsChecked).toBeGreaterThan(10);
    process.stderr.write(
      `[docs] ${files.length} markdown files, ${report.checked} relative links (${report.anchorsChecked} with an anchor) resolved, ${report.external} external links not fetched\n`,
    );
  });
});

describe('package READMEs (shown on the npm registry, outside the repository)', () => {
  it('link into the repository by absolute URL only, never by a relative path', () => {
    const relative = markdownFiles()
      .filter((file) => /^packages\/[^/]+\/README\.md$/.test(repoPath(file)))
      .flatMap((file) =>
        links(readFileSync(file, 'utf8'))
          .filter(({ target }) => !/^(?:[a-z][a-z0-9+.-]*:|#)/i.test(target))
          .map(({ target, line }) => `${repoPath(file)}:${line} ${target}`),
      );
    expect(relative).toEqual([]);
  });
});

describe('the link checker itself', () => {
  const dir = mkdtempSync(join(tmpdir(), 'einhorn-docs-links-'));
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports a missing file, a missing anchor and a stale same-page anchor, and accepts good ones', () => {
    mkdirSync(join(dir, 'guides'));
    writeFileSync(
      join(dir, 'guides', 'a.md'),
      [
        '# Guide A',
        '## Why `-m manual`',
        '## Why `-m manual`',
        'See [b](b.md#the-section), [gone](missing.md), [bad anchor](b.md#nope),',
        '[self](#why--m-manual), [dup](#why--m-manual-1), [stale](#old-heading),',
        '![timeline](../img.svg), [root](/guides/b.md) and [web](https://example.com/x).',
        '```md',
        '[inside a code block](not-checked.md)',
        '```',
        'Inline `[code](not-checked.md)` is not a link.',
        '',
      ].join('\n'),
    );
    writeFileSync(join(dir, 'guides', 'b.md'), '# B\n\n## The section\n');
    writeFileSync(join(dir, 'img.svg'), '<svg/>');
    const report = checkLinks([join(dir, 'guides', 'a.md')], dir);
    expect(report.broken.map(({ target }) => target)).toEqual([
      'missing.md',
      'b.md#nope',
      '#old-heading',
    ]);
    expect(report.checked).toBe(8);
    expect(report.external).toBe(1);
  });

  it('slugs headings the way github.com does', () => {
    expect(githubSlug('Why `-m manual`')).toBe('why--m-manual');
    expect(githubSlug('`--signal-timeout`')).toBe('--signal-timeout');
    expect(githubSlug('0.8.x or 1.x')).toBe('08x-or-1x');
    expect(githubSlug('Migrating from pm2 and `node:cluster`')).toBe(
      'migrating-from-pm2-and-nodecluster',
    );
    expect(githubSlug('`EINHORN_SOCK_FD` (`-g`)')).toBe('einhorn_sock_fd--g');
    expect([...anchors('# A\n# A\n<a id="custom"></a>\n')]).toEqual(['a', 'a-1', 'custom']);
    expect(
      links('[x](y.md "title") <a href="z.md">z</a>\n[ref]: r.md\n').map((l) => l.target),
    ).toEqual(['y.md', 'z.md', 'r.md']);
  });
});
