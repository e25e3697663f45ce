// zod and yaml are optional peers of @einhorn/core, used only by its /schema and /yaml entries.
// The worker path (core's main entry and every package a worker imports) must never load them, and
// /yaml loads yaml only for the first line that is not plain JSON (the master's RSS depends on it).
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
import { testNode } from '../helpers/spawn-fixture.ts';

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
/** `createRequire(url)("x")` (core's load-yaml.ts, minified): a require made on first use. */
const LAZY_REQUIRE = /\bcreateRequire\)?\([^()]*\)\(\s*(['"])([^'"\n]+)\1\s*\)/g;

interface Graph {
  /** Every dist file reached. */
  readonly files: readonly string[];
  /** Every external package specifier, with the files that use it. */
  readonly packages: ReadonlyMap<string, readonly string[]>;
  /** Computed `require`/`import` calls, which would hide edges. */
  readonly computed: readonly string[];
  /** Packages required lazily through `createRequire(url)(name)`, not at load time. */
  readonly lazy: readonly string[];
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
  const lazy = new Set<string>();
  const pending = [builtFile(entry, format)];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (files.has(file)) continue;
    files.add(file);
    const code = readFileSync(file, 'utf8');
    computed.push(...[...code.matchAll(COMPUTED)].map((match) => `${file}: ${match[0]}`));
    for (const specifier of specifiers(LAZY_REQUIRE, code)) lazy.add(specifier);
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
  return { files: [...files], packages, computed, lazy: [...lazy] };
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
  expect(graph.lazy, `${entry} (${format}) may require a package later`).toEqual([]);
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

  it('control: @einhorn/core/schema imports zod; both it and /yaml require yaml only lazily', () => {
    for (const format of FORMATS) {
      const schema = walk('@einhorn/core/schema', format);
      expect(peersOf(schema)).toEqual(['zod']);
      expect(schema.lazy).toEqual(['yaml']);
      const yaml = walk('@einhorn/core/yaml', format);
      expect(peersOf(yaml)).toEqual([]);
      expect(yaml.lazy).toEqual(['yaml']);
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

// With EINHORN_PROBE set, the script then decodes lines with the entry's functions and records
// require.cache after each step: JSON lines first, then one YAML line (the escaped Ruby ACK).
const PROBE = `
const steps = [];
// /schema has no decodeMessage; its parseCommand decodes the same way, then validates with zod.
const decode = loaded.decodeMessage ?? loaded.parseCommand;
const snapshot = (name, result) => steps.push({ name, result, required: Object.keys(cache) });
if (process.env.EINHORN_PROBE) {
  snapshot('json', [
    decode('{"command":"worker:ack","pid":12345}\\n'),
    loaded.readRequest('{"command":"worker:ping","pid":7,"request_id":"r-1","id":3}\\n'),
    loaded.readRequest('{"command":"worker:ack","pid":"123"}').kind,
    loaded.readRequest('{"command":"bogus"}').kind,
  ]);
  snapshot('yaml', [
    decode('---%0Acommand: worker:ack%0Apid: 12345%0A\\n'),
    loaded.readRequest('---%0Acommand: worker:ack%0Apid: 12345%0A\\n'),
  ]);
}
process.stdout.write(JSON.stringify({ exports: Object.keys(loaded), required, steps }));
`;
// require.cache covers CommonJS modules, including those an ES module reaches through require
// (and the `yaml` that core requires on first use).
const ESM_SCRIPT = `
import { createRequire } from 'node:module';
const loaded = await import(process.env.EINHORN_ENTRY);
const cache = createRequire(process.cwd() + '/').cache;
const required = Object.keys(cache);
${PROBE}`;
const CJS_SCRIPT = `
const loaded = require(process.env.EINHORN_ENTRY);
const cache = require.cache;
const required = Object.keys(cache);
${PROBE}`;

/** What the process recorded after each probe step. */
interface ProbeStep {
  readonly name: 'json' | 'yaml';
  readonly result: unknown;
  readonly required: readonly string[];
}

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
  /** With `probe`, what each decoding step returned and left in require.cache. */
  readonly steps: readonly ProbeStep[];
}

function loadInFreshProcess(entry: string, format: Format, probe = false): LoadReport {
  const node = testNode;
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
      env: {
        ...process.env,
        EINHORN_ENTRY: entry,
        EINHORN_RESOLVE_LOG: log,
        EINHORN_PROBE: probe ? '1' : '',
      },
    });
    expect(result.status, `${entry} (${format}) failed to load:\n${result.stderr}`).toBe(0);
    const out = JSON.parse(result.stdout) as Omit<LoadReport, 'resolved'>;
    const resolved = existsSync(log)
      ? readFileSync(log, 'utf8')
          .split('\n')
          .filter((line) => line !== '')
          .map((line) => JSON.parse(line) as Resolution)
      : [];
    return { exports: out.exports, resolved, required: out.required, steps: out.steps };
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
function load(entry: string, format: Format, probe = false): LoadReport {
  const report = loadInFreshProcess(entry, format, probe);
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

  it.each(FORMATS)('control: importing @einhorn/core/schema (%s) loads zod, not yaml', (format) => {
    const loaded = peersLoaded(load('@einhorn/core/schema', format));
    expect([...loaded.keys()]).toEqual(['zod']);
  });

  it.each(FORMATS)('importing @einhorn/core/yaml (%s) loads neither zod nor yaml', (format) => {
    expectRuntimeFree('@einhorn/core/yaml', format);
  });
});

/** Each optional peer in one probe step's require.cache. */
function peersAt(step: ProbeStep | undefined): Peer[] {
  expect(step).toBeDefined();
  return OPTIONAL_PEERS.filter((peer) =>
    (step?.required ?? []).some((path) => peerOfPath(path) === peer),
  );
}

const ACK = { command: 'worker:ack', pid: 12345 };

// The master reads every request with readRequest and reports invalid ones with rubyInspect: with
// JSON requests it must not pay for yaml (~12 MiB) or zod (~12-17 MiB). Unknown and invalid
// requests (checks 16 and 24) are classified here on the JSON path; a line that is not a JSON
// object (check 14) takes the YAML path, so it is left out.
describe('@einhorn/core/yaml decodes JSON lines without yaml and YAML lines with it', () => {
  it.each(FORMATS)(
    '(%s) decodeMessage/readRequest on JSON lines load neither peer; a YAML line then loads yaml',
    (format) => {
      const [json, yaml] = load('@einhorn/core/yaml', format, true).steps;
      expect(json?.name).toBe('json');
      expect(json?.result).toEqual([
        ACK,
        {
          kind: 'command',
          command: { id: 3, command: 'worker:ping', pid: 7, request_id: 'r-1' },
          id: 3,
        },
        'invalid',
        'unknown-command',
      ]);
      expect(peersAt(json)).toEqual([]);
      expect(yaml?.result).toEqual([ACK, { kind: 'command', command: ACK }]);
      expect(peersAt(yaml)).toEqual(['yaml']);
    },
  );

  it.each(FORMATS)(
    '(%s) readRequest from @einhorn/core/schema: zod from the import, yaml only for a YAML line',
    (format) => {
      const [json, yaml] = load('@einhorn/core/schema', format, true).steps;
      expect(peersAt(json)).toEqual(['zod']);
      expect(peersAt(yaml)).toEqual(['zod', 'yaml']);
      expect(yaml?.result).toEqual([ACK, { kind: 'command', command: ACK }]);
    },
  );
});
