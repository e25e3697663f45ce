// The typedoc site: it builds from typedoc.json with no warning, carries every guide, its
// internal links resolve, and it really renders in a headless Chromium (not a blank page).
// Built into a temporary directory, so the test never depends on a stale docs/api.
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dumpDom, findChromium, screenshot } from './support/chromium.ts';
import { checkSiteLinks } from './support/html-links.ts';
import { pngStats } from './support/png.ts';
import { DOCS, REPO, guideFiles } from './support/repo.ts';

const TYPEDOC = join(REPO, 'node_modules/typedoc/bin/typedoc');
const SHOTS = join(
  REPO,
  '.test-results/docs-site',
  process.env['EINHORN_TEST_NODE_LABEL'] ?? 'node',
);

let out: string;
let build: { status: number | null; output: string };

beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), 'einhorn-docs-site-'));
  const result = spawnSync(process.execPath, [TYPEDOC, '--out', out, '--treatWarningsAsErrors'], {
    cwd: REPO,
    encoding: 'utf8',
    timeout: 240_000,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  build = { status: result.status, output: `${result.stdout}${result.stderr}` };
}, 300_000);
afterAll(() => {
  rmSync(out, { recursive: true, force: true });
});

/** The title typedoc gives a project document: its frontmatter `title`, else its file name. */
function documentTitle(file: string): string {
  const markdown = readFileSync(file, 'utf8');
  const title = /^---\n(?:.*\n)*?title:\s*(.+)\n(?:.*\n)*?---\n/.exec(markdown)?.[1];
  return title?.trim() ?? basename(file, '.md');
}

/** The project documents typedoc.json lists, as absolute paths. */
function projectDocuments(): string[] {
  const config = JSON.parse(readFileSync(join(REPO, 'typedoc.json'), 'utf8')) as {
    projectDocuments: string[];
  };
  return config.projectDocuments.map((path) => join(REPO, path));
}

describe('typedoc site', () => {
  it('builds with `typedoc --treatWarningsAsErrors` and no warning', () => {
    expect(build.output).not.toMatch(/\[(warning|error)\]/);
    expect(build.status).toBe(0);
    expect(existsSync(join(out, 'index.html'))).toBe(true);
  });

  it('lists every guide and reference page in typedoc.json, and has a page for each, titled from its frontmatter', () => {
    const listed = projectDocuments();
    const wanted = [
      ...guideFiles(),
      ...readdirSync(join(DOCS, 'reference')).map((name) => join(DOCS, 'reference', name)),
    ];
    expect(wanted.filter((file) => !listed.includes(file))).toEqual([]);
    const documents = join(out, 'documents');
    const titles = readdirSync(documents).map(
      (name) =>
        /<title>([^<]*)<\/title>/.exec(readFileSync(join(documents, name), 'utf8'))?.[1] ?? '',
    );
    const expected = listed.map((file) => `${documentTitle(file)} | einhorn for Node.js`);
    expect(titles.sort()).toEqual(expected.sort());
  });

  it('resolves every relative link and #fragment of every generated page', () => {
    const report = checkSiteLinks(out);
    expect(report.broken).toEqual([]);
    expect(report.pages).toBeGreaterThan(50);
    process.stderr.write(
      `[docs] site: ${report.pages} pages, ${report.checked} internal links resolved\n`,
    );
  });

  it('ships the drain timeline picture with the graceful shutdown guide', () => {
    expect(existsSync(join(out, 'media/drain-timeline.svg'))).toBe(true);
    expect(readFileSync(join(out, 'documents/Graceful_shutdown.html'), 'utf8')).toContain(
      'src="../media/drain-timeline.svg"',
    );
  });
});

describe('the site in headless Chromium', () => {
  const chromium = findChromium();
  if (chromium === undefined && process.env['CI'] === undefined) {
    it.skip('skipped: no chromium on PATH (apt-get install -y chromium); CI fails instead', () =>
      undefined);
    return;
  }
  const binary = (): string => {
    expect(chromium, 'chromium is required in CI: apt-get install -y chromium').toBeDefined();
    return chromium ?? '';
  };

  beforeAll(() => {
    mkdirSync(SHOTS, { recursive: true });
  });

  it('sees a blank page as blank (the control that proves the check below can fail)', async () => {
    const blank = join(out, 'blank-control.html');
    writeFileSync(
      blank,
      '<!doctype html><title>blank</title><body style="background:#fff"></body>',
    );
    const png = join(SHOTS, 'blank-control.png');
    await screenshot(binary(), blank, png);
    const stats = pngStats(readFileSync(png));
    expect(stats.colours).toBeLessThanOrEqual(2);
    expect(stats.dominantShare).toBeGreaterThan(0.99);
  });

  it.each([
    ['index', 'index.html'],
    ['API page', 'functions/_einhorn_net.serve.html'],
    ['guide with the SVG', 'documents/Graceful_shutdown.html'],
  ])('renders the %s: a non-trivial screenshot with text and colour', async (label, page) => {
    const png = join(SHOTS, `${label.replace(/\W+/g, '-')}.png`);
    await screenshot(binary(), join(out, page), png);
    const bytes = readFileSync(png);
    expect(bytes.length).toBeGreaterThan(20_000);
    const stats = pngStats(bytes);
    expect(stats).toMatchObject({ width: 1280, height: 900 });
    expect(stats.colours).toBeGreaterThan(50);
    expect(stats.dominantShare).toBeLessThan(0.97);
  });

  it('runs the page scripts: the DOM has the title and the rendered navigation', async () => {
    const staticHtml = readFileSync(join(out, 'index.html'), 'utf8');
    expect(staticHtml).not.toMatch(/id="tsd-nav-container"><li>/); // navigation is built by script
    const dom = await dumpDom(binary(), join(out, 'index.html'));
    expect(dom).toContain('<title>einhorn for Node.js</title>');
    expect(dom).toMatch(/id="tsd-nav-container"><li>/);
    for (const link of [
      'documents/Getting_started.html',
      'documents/Deployment.html',
      'modules/_einhorn_net.html',
    ])
      expect(dom).toContain(`href="./${link}"`);
    const api = await dumpDom(binary(), join(out, 'functions/_einhorn_net.serve.html'));
    expect(api).toContain('<title>serve | einhorn for Node.js</title>');
    expect(api).toMatch(/id="tsd-nav-container"><li>/);
  });
});
