// What the einhorn-node master loads at start-up, seen from inside the master process: it runs
// with 2 real manual-ACK workers and a preload (test/fixtures/master/module-recorder.mjs) that
// records every ES module resolution and, on SIGWINCH, the CommonJS modules and builtins loaded.
// zod costs ~12-17 MiB of RSS, so the master must not load it: its options, command line and
// `config` command are validated without zod.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CLI, cleanup, REPO, startMaster, tempDir, WAIT } from './helpers.ts';
import type { MasterHandle } from './helpers.ts';

afterEach(cleanup);

const RECORDER = pathToFileURL(join(REPO, 'test/fixtures/master/module-recorder.mjs')).href;

/** The packages the master must not load. */
const FORBIDDEN = ['zod'] as const;

/**
 * The master's request handler validates requests with `@einhorn/core/schema`, which is built on
 * zod. While the master's bundle imports that entry, zod may be loaded by core's build (and by
 * nothing else); once the bundle no longer imports it, zod must not be loaded at all.
 */
const MASTER_IMPORTS_CORE_SCHEMA = readFileSync(CLI, 'utf8').includes('@einhorn/core/schema');
const CORE_DIST = join(REPO, 'packages/core/dist/');

/** Every module the master loaded, with the modules that imported or required it. */
interface LoadedModules {
  readonly importers: ReadonlyMap<string, ReadonlySet<string | null>>;
  readonly builtins: readonly string[];
}

interface Snapshot {
  readonly pid: number;
  readonly required: readonly { readonly file: string; readonly children: readonly string[] }[];
  readonly builtins: readonly string[];
}

interface Resolution {
  readonly specifier: string;
  readonly parentURL: string | null;
  readonly url: string;
}

const asPath = (url: string): string => (url.startsWith('file:') ? fileURLToPath(url) : url);

/** The importer of an ES module; `--import` modules are resolved from the working directory. */
const importerOf = (parentURL: string | null): string | null =>
  parentURL === null || parentURL.endsWith('/') ? null : asPath(parentURL);

function readLoaded(log: string, snapshot: Snapshot): LoadedModules {
  const importers = new Map<string, Set<string | null>>();
  const add = (file: string, importer: string | null): void => {
    const set = importers.get(file) ?? new Set();
    set.add(importer);
    importers.set(file, set);
  };
  const resolutions = readFileSync(log, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Resolution);
  for (const { url, parentURL } of resolutions) add(asPath(url), importerOf(parentURL));
  for (const { file } of snapshot.required) if (!importers.has(file)) add(file, null);
  for (const { file, children } of snapshot.required) {
    for (const child of children) {
      add(child, file);
      importers.get(child)?.delete(null);
    }
  }
  return { importers, builtins: snapshot.builtins };
}

function packageOf(file: string): string | undefined {
  return /[\\/]node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)[\\/]/.exec(file)?.[1];
}

/**
 * Each forbidden package the master loaded, with the modules outside it that brought it in
 * (`null`: the command line or a preload); modules of core's build count only while the master
 * imports `@einhorn/core/schema`.
 */
function forbiddenLoads(loaded: LoadedModules): Record<string, string[]> {
  const found: Record<string, string[]> = {};
  for (const [file, importers] of loaded.importers) {
    const pkg = packageOf(file);
    if (pkg === undefined || !(FORBIDDEN as readonly string[]).includes(pkg)) continue;
    for (const importer of importers) {
      if (importer !== null && packageOf(importer) === pkg) continue;
      if (MASTER_IMPORTS_CORE_SCHEMA && importer?.startsWith(CORE_DIST) === true) continue;
      (found[pkg] ??= []).push(
        `${file} ← ${importer ?? '(no module: the command line or a preload)'}`,
      );
    }
  }
  return found;
}

/** Starts einhorn-node with 2 manual-ACK workers and the recorder; snapshots once both ACKed. */
async function recordedMaster(
  bind: string,
  nodeArgs: readonly string[] = [],
): Promise<{ master: MasterHandle; loaded: LoadedModules }> {
  const dir = tempDir();
  const log = join(dir, 'resolved.jsonl');
  const snapshotFile = join(dir, 'snapshot.json');
  const master = await startMaster({
    nodeArgs: [`--import=${RECORDER}`, ...nodeArgs],
    options: ['-b', bind, '-n', '2', '-m', 'manual'],
    env: {
      FIXTURE_ACK: 'manual',
      FIXTURE_LISTEN: '1',
      EINHORN_MODULE_LOG: log,
      EINHORN_MODULE_SNAPSHOT: snapshotFile,
    },
  });
  await vi.waitFor(() => {
    const acks = master.stderr().match(/Received a manual ACK from \d+/g)?.length ?? 0;
    if (acks < 2) throw new Error(`${acks} ACKs so far:\n${master.stderr()}`);
  }, WAIT);
  process.kill(master.pid, 'SIGWINCH');
  const snapshot = await vi.waitFor(() => {
    if (!existsSync(snapshotFile)) throw new Error('no module snapshot yet');
    return JSON.parse(readFileSync(snapshotFile, 'utf8')) as Snapshot;
  }, WAIT);
  expect(snapshot.pid).toBe(master.pid);
  const loaded = readLoaded(log, snapshot);
  // The recorder saw the master itself, its CommonJS dependencies, and the builtins.
  expect(loaded.importers.has(CLI)).toBe(true);
  expect(loaded.importers.has(join(CORE_DIST, 'index.cjs'))).toBe(true);
  expect(loaded.builtins).toContain('net');
  return { master, loaded };
}

/** The bound TCP port answers with a worker's pid (the fixture writes it and closes). */
async function served(master: MasterHandle, host: string): Promise<number> {
  const state = await master.state();
  const port = state.bound_ports[0] ?? 0;
  const reply = await new Promise<string>((resolve, reject) => {
    let data = '';
    connect(port, host)
      .setEncoding('utf8')
      .on('data', (chunk: string) => (data += chunk))
      .on('error', reject)
      .on('close', () => {
        resolve(data);
      });
  });
  return Number(reply.trim());
}

describe('modules the master loads, recorded inside it (2 idle workers)', () => {
  it('loads no zod, and no DNS resolver for an IP literal bind', async () => {
    const { master, loaded } = await recordedMaster('127.0.0.1:0');
    expect(forbiddenLoads(loaded)).toEqual({});
    expect(loaded.builtins).not.toContain('dns/promises');
    expect(Object.keys((await master.state()).children)).toContain(
      String(await served(master, '127.0.0.1')),
    );
  });

  it('control: zod loaded from outside core is reported, with what brought it in', async () => {
    const zodEsm = pathToFileURL(
      join(dirname(createRequire(import.meta.url).resolve('zod/package.json')), 'index.js'),
    ).href;
    const { loaded } = await recordedMaster('127.0.0.1:0', [`--import=${zodEsm}`]);
    expect(forbiddenLoads(loaded)).toEqual({
      zod: [`${fileURLToPath(zodEsm)} ← (no module: the command line or a preload)`],
    });
  });

  it('loads the DNS resolver when a bind address is a host name, and serves on it', async () => {
    const { master, loaded } = await recordedMaster('localhost:0');
    expect(loaded.builtins).toContain('dns/promises');
    expect(Object.keys((await master.state()).children)).toContain(
      String(await served(master, 'localhost')),
    );
  });
});
