#!/usr/bin/env node
// `npm run bench [-- --quick | --profile smoke] [--node PATH] [--out FILE] [--docs | --no-docs]`
// Runs the benchmark profile, writes the JSON results and (full profile, or --docs) regenerates
// docs/benchmarks.md between its markers and docs/assets/benchmarks.svg. Missed targets do not
// fail the run; a broken harness (a process that would not start, a probe that hung) does.
// `--render FILE` only re-evaluates the targets of a results file and regenerates the docs.
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { killEverything } from './lib/processes.mjs';
import { PROFILES, SUITE_ORDER } from './profiles.mjs';
import { describeEnvironment, nodeVersionOf } from './report/environment.mjs';
import { writeDocs } from './report/docs-file.mjs';
import { evaluateTargets, formatTargetLine } from './report/targets.mjs';
import { runFairness } from './suites/fairness.mjs';
import { runImportCost } from './suites/import-cost.mjs';
import { runKill } from './suites/kill.mjs';
import { runMasterCost } from './suites/master-cost.mjs';
import { runRefusal } from './suites/refusal.mjs';
import { runStartup } from './suites/startup.mjs';
import { runGroup } from './suites/throughput.mjs';
import { runUpgrades } from './suites/upgrade.mjs';
import { runProtocolUpgrades } from './suites/protocol-upgrade.mjs';

const BENCH_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const REPO = resolve(BENCH_DIR, '..');
const log = (line) => process.stderr.write(`${line}\n`);

function parseCli(argv) {
  const options = { profile: 'full', node: process.execPath, out: undefined, docs: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--quick') options.profile = 'quick';
    else if (arg === '--profile') options.profile = argv[++i];
    else if (arg === '--node') options.node = resolve(argv[++i]);
    else if (arg === '--out') options.out = resolve(argv[++i]);
    else if (arg === '--docs') options.docs = true;
    else if (arg === '--no-docs') options.docs = false;
    else if (arg === '--render') options.render = resolve(argv[++i]);
    else
      throw new Error(
        `Unknown option "${arg}": expected --quick, --profile full|quick|smoke, --node PATH, --out FILE, --docs, --no-docs or --render FILE.`,
      );
  }
  if (!PROFILES[options.profile])
    throw new Error(`Unknown profile "${options.profile}": expected full, quick or smoke.`);
  options.out ??= join(
    BENCH_DIR,
    'results',
    options.profile === 'full' ? 'latest.json' : `${options.profile}.json`,
  );
  options.docs ??= options.profile === 'full';
  return options;
}

const SUITES = {
  throughput: async (groups, context) => {
    const results = [];
    for (const group of groups) results.push(await runGroup(group, context));
    return results;
  },
  fairness: runFairness,
  upgrade: runUpgrades,
  protocolUpgrade: runProtocolUpgrades,
  kill: runKill,
  startup: runStartup,
  importCost: runImportCost,
  refusal: runRefusal,
  masterCost: runMasterCost,
};

function render(file) {
  const results = JSON.parse(readFileSync(file, 'utf8'));
  results.targets = evaluateTargets(results);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  log(`Docs: ${writeDocs(results, REPO).join(', ')}`);
}

async function main() {
  const options = parseCli(process.argv.slice(2));
  if (options.render) return render(options.render);
  const profile = PROFILES[options.profile];
  const nodeVersion = nodeVersionOf(options.node);
  const root = mkdtempSync(join(tmpdir(), 'einhorn-bench-'));
  const cleanUp = () => {
    killEverything();
    rmSync(root, { recursive: true, force: true });
  };
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      log(`\n${signal}: stopping every process the benchmark started.`);
      cleanUp();
      process.exit(130);
    });
  }
  const context = { node: options.node, nodeVersion, root, log };
  const started = Date.now();
  const results = {
    schema: 1,
    profile: options.profile,
    startedAt: new Date(started).toISOString(),
    environment: describeEnvironment(context),
    suiteSeconds: {},
    suites: {},
  };
  log(
    `einhorn benchmark, profile ${options.profile}, servers on Node ${nodeVersion} (${options.node})`,
  );
  try {
    for (const name of SUITE_ORDER) {
      if (!profile[name]) continue;
      const suiteStarted = Date.now();
      log(`${name}:`);
      results.suites[name] = await SUITES[name](profile[name], context);
      results.suiteSeconds[name] = (Date.now() - suiteStarted) / 1000;
    }
  } finally {
    cleanUp();
  }
  results.finishedAt = new Date().toISOString();
  results.loadAverageAtEnd = loadavg();
  results.durationSeconds = (Date.now() - started) / 1000;
  results.targets = evaluateTargets(results);
  mkdirSync(dirname(options.out), { recursive: true });
  writeFileSync(options.out, `${JSON.stringify(results, null, 2)}\n`);
  log(`\nTargets (${options.profile}, ${Math.round(results.durationSeconds)} s):`);
  for (const target of results.targets) log(formatTargetLine(target));
  log(`\nResults: ${options.out}`);
  if (options.docs) {
    const written = writeDocs(results, REPO);
    log(`Docs: ${written.join(', ')}`);
  }
}

main().catch((error) => {
  killEverything();
  log(`Benchmark failed: ${error?.stack ?? error}`);
  process.exit(1);
});
