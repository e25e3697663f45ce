// zod and yaml are optional peers of @einhorn/core, used only by its /schema and /yaml entries.
// The worker path (core's main entry and every package a worker imports) must never load them.
// Checked against the built dist twice: statically, by walking the import/require graph of the
// published files, and at run time, by loading each package in a fresh process on the Node under
// test while recording every module it resolves.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

type Format = 'esm' | 'cjs';
const FORMATS: readonly Format[] = ['esm', 'cjs'];
const OPTIONAL_PEERS = ['zod', 'yaml'] as const;
type Peer = (typeof OPTIONAL_PEERS)[number];

/** Everything a worker may import. */
const WORKER_PATH = [
  '@einhorn/core',
  '@einhorn/worker',
  '@einhorn/net',
  '@einhorn/express',
  '@einhorn/fastify',
];

function peerOfSpecifier(specifier: string): Peer | undefined {
  return OPTIONAL_PEERS.find((peer) => specifier === peer || specifier.startsWith(`${peer}/`));
}

const PEER_PATH = /[\\/]node_modules[\\/](zod|yaml)[\\/]/;

function peerOfPath(path: string): Peer | undefined {
  return peerOfSpecifier(PEER_PATH.exec(path)?.[1] ?? '');
}

// ── the built files an @einhorn/* specifier loads ──────────────────────────────────────────────

interface ExportEntry {
  readonly import: { readonly default: string };
  readonly require: { readonly default: string };
}

/** `@scope/name/sub` → `{ name: '@scope/name', subpath: './sub' }`. */
function splitSpecifier(specifier: string): { name: string; subpath: string } {
  const parts = specifier.split('/');
  const size = specifier.startsWith('@') ? 2 : 1;
  const rest = parts.slice(size).join('/');
  return { name: parts.slice(0, size).join('/'), subpath: rest === '' ? '.' : `./${rest}` };
}

/** The dist file `import` (esm) or `require` (cjs) loads for an @einhorn/* specifier. */
function builtFile(specifier: string, format: Format, from: string = import.meta.url): string {
  const { name, subpath } = splitSpecifier(specifier);
  const manifestPath = createRequire(from).resolve(`${name}/package.json`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    exports: Readonly<Record<string, ExportEntry | string | undefined>>;
  };
  const entry = manifest.exports[subpath];
  if (entry === undefined || typeof entry === 'string') {
    throw new Error(`${manifestPath} has no conditional exports entry "${subpath}"`);
  }
  const target = format === 'esm' ? entry.import.default : entry.require.default;
  return resolve(dirname(manifestPath), target);
}

// ── (a) the static graph ───────────────────────────────────────────────────────────────────────

const STATIC_IMPORT = /\b(?:import|export)\s*(?:[\w$*{},\s]+?\s*from\s*)?(['"])([^'"\n]+)\1/g;
const DYNAMIC_IMPORT = /\bimport\s*\(\s*(['"])([^'"\n]+)\1\s*\)/g;
const REQUIRE = /\brequire\s*\(\s*(['"])([^'"\n]+)\1\s*\)/g;
/** `require(x)` or `import(x)` with a computed specifier, which this walker cannot follow. */
const COMPUTED = /\b(?:require|import)\s*\(\s*[^'"\s)]/g;

interface Graph {
  /** Every dist file reached. */
  readonly files: readonly string[];
  /** Every external package specifier, with the files that use it. */
  readonly packages: ReadonlyMap<string, readonly string[]>;
  /** Computed `require`/`import` calls, which would hide edges. */
  readonly computed: readonly string[];
}

function specifiers(pattern: RegExp, code: string): string[] {
  return [...code.matchAll(pattern)].map((match) => match[2] ?? '');
}

/**
 * Walks the static import/require graph from an @einhorn/* entry through our own dist files:
 * relative specifiers and other @einhorn/* packages are followed, Node built-ins are skipped,
 * and every other package is recorded without being entered.
 */
function walk(entry: string, format: Format): Graph {
  const files = new Set<string>();
  const packages = new Map<string, string[]>();
  const computed: string[] = [];
  const pending = [builtFile(entry, format)];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (files.has(file)) continue;
    files.add(file);
    const code = readFileSync(file, 'utf8');
    computed.push(...[...code.matchAll(COMPUTED)].map((match) => `${file}: ${match[0]}`));
    const edges: [string, Format][] = [
      ...[...specifiers(STATIC_IMPORT, code), ...specifiers(DYNAMIC_IMPORT, code)].map(
        (specifier): [string, Format] => [specifier, 'esm'],
      ),
      ...specifiers(REQUIRE, code).map((specifier): [string, Format] => [specifier, 'cjs']),
    ];
    for (const [specifier, edgeFormat] of edges) {
      if (isBuiltin(specifier)) continue;
      if (specifier.startsWith('.')) {
        pending.push(resolve(dirname(file), specifier));
        continue;
      }
      packages.set(specifier, [...(packages.get(specifier) ?? []), file]);
      if (specifier.startsWith('@einhorn/')) pending.push(builtFile(specifier, edgeFormat, file));
    }
  }
  return { files: [...files], packages, computed };
}

/** `'zod ← /path/dist/index.js'` for every optional-peer specifier in the graph. */
function peerImports(graph: Graph): string[] {
  return [...graph.packages].flatMap(([specifier, importers]) =>
    peerOfSpecifier(specifier) === undefined
      ? []
      : importers.map((importer) => `${specifier} ← ${importer}`),
  );
}

function peersOf(graph: Graph): Peer[] {
  return OPTIONAL_PEERS.filter((peer) =>
    [...graph.packages.keys()].some((specifier) => peerOfSpecifier(specifier) === peer),
  );
}

function expectStaticGraphFree(entry: string, format: Format): void {
  const graph = walk(entry, format);
  expect(graph.files.length).toBeGreaterThan(0);
  expect(graph.computed, 'computed specifiers hide edges from this walker').toEqual([]);
  expect(peerImports(graph), `${entry} (${format}) reaches an optional peer`).toEqual([]);
}

describe('static import/require graph of the built dist', () => {
  it.each(WORKER_PATH.flatMap((entry) => FORMATS.map((format) => [entry, format] as const)))(
    '%s (%s) reaches neither zod nor yaml',
    (entry, format) => {
      expectStaticGraphFree(entry, format);
    },
  );

  it('@einhorn/express reaches core through net and worker (the walk follows @einhorn/* edges)', () => {
    for (const format of FORMATS) {
      const files = walk('@einhorn/express', format).files;
      // Each ES module entry re-exports its package's CommonJS build, which requires the others:
      // past express's own entry, the walk reaches their `require` targets.
      for (const entry of ['@einhorn/core', '@einhorn/worker', '@einhorn/net'])
        expect(files).toContain(builtFile(entry, 'cjs'));
    }
  });

  it('control: @einhorn/core/schema reaches zod and yaml, @einhorn/core/yaml only yaml', () => {
    for (const format of FORMATS) {
      expect(peersOf(walk('@einhorn/core/schema', format))).toEqual(['zod', 'yaml']);
      expect(peersOf(walk('@einhorn/core/yaml', format))).toEqual(['yaml']);
    }
  });
});

// ── (b) what a fresh process really loads ──────────────────────────────────────────────────────

// Resolve hooks (module.register, Node 20.6+) log every ESM resolution to EINHORN_RESOLVE_LOG.
// They run on the hooks thread, so they append to a file synchronously before returning.
const HOOKS = `
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, nextResolve) {
  const result = await nextResolve(specifier, context);
  appendFileSync(process.env.EINHORN_RESOLVE_LOG, JSON.stringify({ specifier, url: result.url }) + '\\n');
  return result;
}
`;
const REGISTER_HOOKS = `
import { register } from 'node:module';
register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(HOOKS)}`)});
`;
const IMPORT_HOOKS = `--import=data:text/javascript,${encodeURIComponent(REGISTER_HOOKS)}`;

// require.cache covers CommonJS modules, including those an ES module reaches through require.
const ESM_SCRIPT = `
import { createRequire } from 'node:module';
const loaded = await import(process.env.EINHORN_ENTRY);
const required = Object.keys(createRequire(process.cwd() + '/').cache);
process.stdout.write(JSON.stringify({ exports: Object.keys(loaded), required }));
`;
const CJS_SCRIPT = `
const loaded = require(process.env.EINHORN_ENTRY);
process.stdout.write(JSON.stringify({ exports: Object.keys(loaded), required: Object.keys(require.cache) }));
`;

interface Resolution {
  readonly specifier: string;
  readonly url: string;
}

interface LoadReport {
  readonly exports: readonly string[];
  /** ESM resolutions seen by the hooks. */
  readonly resolved: readonly Resolution[];
  /** Files in require.cache after loading. */
  readonly required: readonly string[];
}

function loadInFreshProcess(entry: string, format: Format): LoadReport {
  const node = process.env['EINHORN_TEST_NODE'] ?? process.execPath;
  const dir = mkdtempSync(join(tmpdir(), 'einhorn-peers-'));
  const log = join(dir, 'resolved.jsonl');
  try {
    const args =
      format === 'esm'
        ? [IMPORT_HOOKS, '--input-type=module', '-e', ESM_SCRIPT]
        : [IMPORT_HOOKS, '-e', CJS_SCRIPT];
    const result = spawnSync(node, args, {
      cwd: import.meta.dirname,
      encoding: 'utf8',
      timeout: 30_000,
      env: { ...process.env, EINHORN_ENTRY: entry, EINHORN_RESOLVE_LOG: log },
    });
    expect(result.status, `${entry} (${format}) failed to load:\n${result.stderr}`).toBe(0);
    const out = JSON.parse(result.stdout) as { exports: string[]; required: string[] };
    const resolved = existsSync(log)
      ? readFileSync(log, 'utf8')
          .split('\n')
          .filter((line) => line !== '')
          .map((line) => JSON.parse(line) as Resolution)
      : [];
    return { exports: out.exports, resolved, required: out.required };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Each optional peer the process loaded, with the first evidence of it. */
function peersLoaded(report: LoadReport): Map<Peer, string> {
  const found = new Map<Peer, string>();
  for (const { specifier, url } of report.resolved) {
    const peer = peerOfSpecifier(specifier) ?? peerOfPath(url);
    if (peer !== undefined && !found.has(peer)) found.set(peer, `import ${specifier} → ${url}`);
  }
  for (const path of report.required) {
    const peer = peerOfPath(path);
    if (peer !== undefined && !found.has(peer)) found.set(peer, `require.cache ${path}`);
  }
  return found;
}

/** Loads `entry` and checks the load really happened and was observed. */
function load(entry: string, format: Format): LoadReport {
  const report = loadInFreshProcess(entry, format);
  expect(report.exports.length, `${entry} exported nothing`).toBeGreaterThan(0);
  const file = builtFile(entry, format);
  if (format === 'esm') {
    expect(report.resolved.map((r) => r.url)).toContain(pathToFileURL(file).href);
  } else {
    expect(report.required).toContain(file);
  }
  return report;
}

function expectRuntimeFree(entry: string, format: Format): void {
  const loaded = peersLoaded(load(entry, format));
  expect(Object.fromEntries(loaded), `${entry} (${format}) loaded an optional peer`).toEqual({});
}

describe('modules loaded at run time, in a fresh process on the Node under test', () => {
  it.each(WORKER_PATH.flatMap((entry) => FORMATS.map((format) => [entry, format] as const)))(
    '%s (%s) loads neither zod nor yaml',
    (entry, format) => {
      expectRuntimeFree(entry, format);
    },
  );

  it.each(FORMATS)('control: @einhorn/core/schema (%s) does load zod and yaml', (format) => {
    const loaded = peersLoaded(load('@einhorn/core/schema', format));
    expect([...loaded.keys()].sort()).toEqual(['yaml', 'zod']);
  });

  it.each(FORMATS)('control: @einhorn/core/yaml (%s) loads yaml but not zod', (format) => {
    const loaded = peersLoaded(load('@einhorn/core/yaml', format));
    expect([...loaded.keys()]).toEqual(['yaml']);
  });
});
