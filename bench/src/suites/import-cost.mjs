// B10: what importing each worker-side package costs an app that already imported node:http.
// Every sample is a fresh Node process (bench/src/import-cost/probe.mjs or probe.cjs) started in an
// app directory whose node_modules links the workspace packages, so that they resolve the way an
// app resolves them: through node_modules, to the built dist (no `@einhorn/source` condition).
// The child times `import()` (ESM) or `require()` (CommonJS) of one package after node:http and
// reads process.memoryUsage().rss around it and at the end. Configurations (Node × package × ESM or
// CJS) are interleaved, A B C … A B C …, the order rotated every rep. One untimed pass first warms
// the page cache and lists the modules each import loads: ESM through a `node:module` resolve hook
// preloaded with `--import` (its timings are not used: the hook slows resolution), CommonJS through
// require.cache.
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import {
  accessSync,
  constants,
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { delimiter, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startProcess, stopProcess } from '../lib/processes.mjs';
import { summarize } from '../lib/stats.mjs';

const REPO = fileURLToPath(new URL('../../..', import.meta.url));
const PROBES = fileURLToPath(new URL('../import-cost/', import.meta.url));
const CHILD_TIMEOUT_MS = 30_000;

/** The control: an empty package, resolved and loaded the same way (the floor of the figure). */
export const CONTROL = 'einhorn-bench-control';

/** What is imported, in table order. */
export const IMPORT_PACKAGES = [
  CONTROL,
  '@einhorn/worker',
  '@einhorn/net',
  '@einhorn/express',
  '@einhorn/fastify',
];

export const FORBIDDEN_PACKAGES = ['zod', 'yaml'];

const rotate = (list, by) => list.map((_, i) => list[(i + by) % list.length]);

function isExecutable(file) {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first `node` on PATH outside any node_modules (npm puts node_modules/.bin first). */
function systemNode() {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir || dir.split(/[\\/]/).includes('node_modules')) continue;
    const candidate = join(dir, 'node');
    if (isExecutable(candidate)) return candidate;
  }
  return '/usr/bin/node';
}

/** The Node binaries B10 runs under, by id. */
const NODE_LOCATIONS = {
  system: () => systemNode(),
  node22: () => join(REPO, 'tools/node22/node_modules/node/bin/node'),
  node24: () => join(REPO, 'node_modules/node/bin/node'),
};

function findNodes(ids) {
  const found = [];
  for (const id of ids) {
    const path = NODE_LOCATIONS[id]();
    if (!isExecutable(path)) {
      found.push({ id, path, version: null, skipped: `${path} is missing` });
      continue;
    }
    const version = execFileSync(path, ['-p', 'process.versions.node'], {
      encoding: 'utf8',
      env: childEnv(),
    }).trim();
    const twin = found.find((n) => n.version === version);
    if (twin) found.push({ id, path, version, skipped: `the same Node as ${twin.path}` });
    else found.push({ id, path, version });
  }
  return found;
}

/** The children's environment: ours without NODE_OPTIONS (no preload, no extra conditions). */
function childEnv() {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  return env;
}

/** An app directory: node_modules links the packages (and holds the control), plus the probes. */
function prepareApp(root) {
  const app = join(root, 'import-cost-app');
  const modules = join(app, 'node_modules');
  mkdirSync(join(modules, '@einhorn'), { recursive: true });
  for (const name of IMPORT_PACKAGES.filter((p) => p !== CONTROL)) {
    const target = join(REPO, 'node_modules', name);
    if (!existsSync(join(target, 'package.json')))
      throw new Error(`${target} is missing: run \`npm ci\` in the repository root first.`);
    symlinkSync(target, join(modules, name), 'dir');
  }
  const control = join(modules, CONTROL);
  mkdirSync(control);
  writeFileSync(
    join(control, 'package.json'),
    JSON.stringify({
      name: CONTROL,
      version: '0.0.0',
      exports: { import: './index.mjs', require: './index.cjs' },
    }),
  );
  writeFileSync(join(control, 'index.mjs'), 'export const control = true;\n');
  writeFileSync(join(control, 'index.cjs'), 'exports.control = true;\n');
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({ name: 'import-cost-app', private: true }),
  );
  for (const file of ['probe.mjs', 'probe.cjs', 'trace-register.mjs', 'trace-hooks.mjs'])
    copyFileSync(join(PROBES, file), join(app, file));
  return app;
}

/** Runs one child to completion (bounded by CHILD_TIMEOUT_MS) and returns its JSON line. */
async function runProbe(node, { app, specifier, mode, trace }) {
  const args =
    mode === 'cjs'
      ? ['probe.cjs', specifier]
      : [...(trace ? ['--import', './trace-register.mjs'] : []), 'probe.mjs', specifier];
  const child = startProcess(node.path, args, { cwd: app, env: childEnv() });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
  // 'close', not 'exit': only then has all of its stdout been read.
  const closed = once(child, 'close');
  const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS);
  try {
    await closed;
  } finally {
    clearTimeout(timer);
    await stopProcess(child, { signal: 'SIGKILL' });
  }
  const exit = await child.exited;
  if (exit.code !== 0)
    throw new Error(
      `B10 probe (Node ${node.version}, ${mode}, ${specifier}) exited with ${exit.code ?? exit.signal}: ${stderr.trim()}`,
    );
  return JSON.parse(stdout);
}

const packageNames = new Map();
/** The package a loaded file belongs to: its node_modules folder, else its nearest package.json. */
function packageOf(file) {
  const parts = file.split(/[\\/]/);
  const at = parts.lastIndexOf('node_modules');
  if (at >= 0 && at + 1 < parts.length)
    return parts[at + 1].startsWith('@') ? `${parts[at + 1]}/${parts[at + 2]}` : parts[at + 1];
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    if (packageNames.has(dir)) return packageNames.get(dir);
    const manifest = join(dir, 'package.json');
    if (!existsSync(manifest)) continue;
    const { name } = JSON.parse(readFileSync(manifest, 'utf8'));
    if (!name) continue;
    packageNames.set(dir, name);
    return name;
  }
  return '(unknown)';
}

/** Modules loaded, in total and per package, and which of zod / yaml were among them. */
function modulesOf(files) {
  const byPackage = {};
  for (const file of files) {
    const name = packageOf(file);
    byPackage[name] = (byPackage[name] ?? 0) + 1;
  }
  return {
    total: files.length,
    byPackage,
    forbidden: FORBIDDEN_PACKAGES.filter((name) => byPackage[name] > 0),
  };
}

/** The package's entry must be its built dist: anything else means we measured the wrong code. */
function checkEntry(specifier, entry) {
  if (specifier === CONTROL || /[\\/]dist[\\/]index\.c?js$/.test(entry)) return;
  throw new Error(`B10: ${specifier} resolved to ${entry}, not its built dist.`);
}

/**
 * @param plan `{ nodes: ('system' | 'node22' | 'node24')[], timeOn?: same, reps }`: every Node of
 *   `nodes` gets the untimed pass (modules loaded); those of `timeOn` (default: all) also `reps`
 *   timed samples per configuration.
 * @returns the Nodes used (or skipped), and per Node × package × mode the medians with min–max of
 *   import time, RSS growth and whole-process RSS at the end, plus the modules the import loaded.
 */
export async function runImportCost(plan, { root, log }) {
  const app = prepareApp(root);
  const nodes = findNodes(plan.nodes);
  const usable = nodes.filter((n) => !n.skipped);
  for (const node of nodes)
    node.timed = !node.skipped && (plan.timeOn ?? plan.nodes).includes(node.id);
  log(
    `  import-cost on ${usable.map((n) => `Node ${n.version} (${n.path}${n.timed ? '' : ', modules only'})`).join(', ')}; NODE_EXTRA_CA_CERTS ${process.env.NODE_EXTRA_CA_CERTS ? 'set' : 'not set'}`,
  );
  for (const n of nodes.filter((x) => x.skipped))
    log(`  import-cost: Node ${n.id} skipped: ${n.skipped}`);
  const configs = usable.flatMap((node) =>
    IMPORT_PACKAGES.flatMap((specifier) =>
      ['esm', 'cjs'].map((mode) => ({
        node,
        specifier,
        mode,
        samples: { ms: [], rssGrowth: [], rssEnd: [], httpMs: [] },
      })),
    ),
  );
  // The untimed pass: warms the page cache and lists the modules of every import.
  for (const config of configs) {
    const { node, specifier, mode } = config;
    const probe = await runProbe(node, { app, specifier, mode, trace: true });
    checkEntry(specifier, probe.entry);
    config.entry = probe.entry.startsWith(REPO)
      ? relative(REPO, probe.entry)
      : `<app>/${relative(app, probe.entry)}`;
    config.modules = modulesOf(probe.files);
  }
  const timed = configs.filter((config) => config.node.timed);
  for (let rep = 0; rep < plan.reps && timed.length > 0; rep++) {
    for (const config of rotate(timed, rep)) {
      const { node, specifier, mode, samples } = config;
      const probe = await runProbe(node, { app, specifier, mode, trace: false });
      samples.ms.push(probe.ms);
      samples.rssGrowth.push(probe.rssAfter - probe.rssBefore);
      samples.rssEnd.push(probe.rssEnd);
      samples.httpMs.push(probe.httpMs);
      // CommonJS children list their modules on every run: the list must not change.
      if (mode === 'cjs' && probe.files.length !== config.modules.total)
        throw new Error(
          `B10: require('${specifier}') on Node ${node.version} loaded ${probe.files.length} modules, ${config.modules.total} in the first run.`,
        );
    }
    log(`  import-cost rep ${rep + 1}/${plan.reps}: ${timed.length} fresh processes`);
  }
  const runs = configs.map(({ node, specifier, mode, entry, modules, samples }) => ({
    node: node.id,
    nodeVersion: node.version,
    timed: node.timed,
    package: specifier,
    mode,
    entry,
    modules,
    ms: summarize(samples.ms),
    rssGrowthBytes: summarize(samples.rssGrowth),
    rssEndBytes: summarize(samples.rssEnd),
    httpMs: summarize(samples.httpMs),
    samples,
  }));
  for (const node of usable) {
    const line = runs
      .filter((r) => r.node === node.id && r.package !== CONTROL)
      .map((r) => {
        const figures = r.timed
          ? ` ${r.ms.median.toFixed(1)} ms +${(r.rssGrowthBytes.median / 2 ** 20).toFixed(1)} MiB`
          : '';
        return `${r.package.replace('@einhorn/', '')} ${r.mode}${figures} ${r.modules.total} modules${r.modules.forbidden.length ? ` (${r.modules.forbidden.join('+')})` : ''}`;
      })
      .join(', ');
    log(`  import-cost Node ${node.version}: ${line}`);
  }
  return {
    reps: plan.reps,
    nodes: nodes.map(({ id, path, version, skipped, timed }) => ({
      id,
      path,
      version,
      timed,
      skipped,
    })),
    nodeExtraCaCerts: process.env.NODE_EXTRA_CA_CERTS || null,
    nodeOptionsRemoved: process.env.NODE_OPTIONS || null,
    runs,
  };
}
