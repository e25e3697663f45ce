// What the einhorn-node master loads at start-up, seen from inside the master process: it runs
// with 2 real manual-ACK workers and a preload (test/fixtures/master/module-recorder.mjs) that
// records every ES module resolution and, on SIGWINCH, the CommonJS modules and builtins loaded.
// zod costs ~12-17 MiB of RSS and yaml ~10 MiB, so the master must not load them for what it
// does all day: its options, command line and `config` command are validated without zod, JSON
// requests are read without yaml, and the bin bundles @einhorn/core (no package to resolve).
// yaml is loaded on the first request written in YAML (the Ruby einhornsh and Ruby workers).
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CLI, cleanup, rawSession, REPO, startMaster, tempDir, WAIT } from './helpers.ts';
import type { MasterHandle } from './helpers.ts';

afterEach(cleanup);

const RECORDER = pathToFileURL(join(REPO, 'test/fixtures/master/module-recorder.mjs')).href;

/** The packages the master must not load until a request needs them. */
const FORBIDDEN = ['zod', 'yaml'] as const;
const PACKAGES = join(REPO, 'packages/');

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
 * (`null`: the command line, a preload, or a `createRequire` require).
 */
function forbiddenLoads(loaded: LoadedModules): Record<string, string[]> {
  const found: Record<string, string[]> = {};
  for (const [file, importers] of loaded.importers) {
    const pkg = packageOf(file);
    if (pkg === undefined || !(FORBIDDEN as readonly string[]).includes(pkg)) continue;
    for (const importer of importers) {
      if (importer !== null && packageOf(importer) === pkg) continue;
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
): Promise<{ master: MasterHandle; loaded: LoadedModules; record: () => Promise<LoadedModules> }> {
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
  const record = async (): Promise<LoadedModules> => {
    rmSync(snapshotFile, { force: true });
    process.kill(master.pid, 'SIGWINCH');
    const snapshot = await vi.waitFor(() => {
      if (!existsSync(snapshotFile)) throw new Error('no module snapshot yet');
      return JSON.parse(readFileSync(snapshotFile, 'utf8')) as Snapshot;
    }, WAIT);
    expect(snapshot.pid).toBe(master.pid);
    return readLoaded(log, snapshot);
  };
  const loaded = await record();
  // The recorder saw the master itself and the builtins; @einhorn/core is inside the bin.
  expect(loaded.importers.has(CLI)).toBe(true);
  expect(loaded.builtins).toContain('net');
  expect([...loaded.importers.keys()].filter((f) => f.startsWith(PACKAGES) && f !== CLI)).toEqual(
    [],
  );
  return { master, loaded, record };
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
  it('loads no zod, no yaml, and no DNS resolver for an IP literal bind', async () => {
    const { master, loaded } = await recordedMaster('127.0.0.1:0');
    expect(forbiddenLoads(loaded)).toEqual({});
    expect(loaded.builtins).not.toContain('dns/promises');
    expect(Object.keys((await master.state()).children)).toContain(
      String(await served(master, '127.0.0.1')),
    );
  });

  it('control: zod loaded by a preload is reported, with what brought it in', async () => {
    const zodEsm = pathToFileURL(
      join(dirname(createRequire(import.meta.url).resolve('zod/package.json')), 'index.js'),
    ).href;
    const { loaded } = await recordedMaster('127.0.0.1:0', [`--import=${zodEsm}`]);
    expect(forbiddenLoads(loaded)).toEqual({
      zod: [`${fileURLToPath(zodEsm)} ← (no module: the command line or a preload)`],
    });
  });

  it('loads yaml on the first request written in YAML, as the Ruby einhornsh writes them', async () => {
    const { master, loaded, record } = await recordedMaster('127.0.0.1:0');
    expect(forbiddenLoads(loaded)).toEqual({});
    // JSON requests (our client, our workers' ACKs) keep it unloaded.
    expect(Object.keys((await master.state()).children)).toHaveLength(2);
    expect(forbiddenLoads(await record())).toEqual({});
    const session = await rawSession(master.socketPath);
    session.write('---%0Acommand: ehlo%0Auser: yaml-test%0A\n');
    expect(await session.line()).toContain('Welcome, yaml-test!');
    session.destroy();
    expect(Object.keys(forbiddenLoads(await record()))).toEqual(['yaml']);
  });

  it('loads the DNS resolver when a bind address is a host name, and serves on it', async () => {
    const { master, loaded } = await recordedMaster('localhost:0');
    expect(loaded.builtins).toContain('dns/promises');
    expect(Object.keys((await master.state()).children)).toContain(
      String(await served(master, 'localhost')),
    );
  });
});
