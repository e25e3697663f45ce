#!/usr/bin/env node
// 20 consecutive smooth upgrades of a real einhorn-node master (-n 2, -t 2) under continuous HTTP
// load (4 clients, a fresh connection per request), with workers that start slowly (30 %), crash
// before ACKing (20 %), hang on shutdown (20 %) or exit with requests in flight (20 %).
// Prints figures as JSON; exits 1 if an upgrade fails, a connection is refused, an old worker
// survives, or more requests fail than the misbehaving workers can account for.
//
//   node scripts/chaos-upgrades.mjs [--upgrades 20] [--clean]
//
// --clean runs the same load with well-behaved workers only: the control, where nothing may fail.
// Needs Node >= 22.18 to run (it loads the .ts helpers natively); the master and workers run on
// EINHORN_TEST_NODE when set, else on this Node. Build core, worker, net and master first.
import process from 'node:process';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';

/** CLI output (scripts may write to stdout/stderr). */
const print = (text) => process.stdout.write(`${text}\n`);
const printErr = (text) => process.stderr.write(`${text}\n`);

if (!process.features.typescript) {
  printErr(
    `chaos-upgrades: Node ${process.version} cannot load the TypeScript helpers; run it with Node >= 22.18 (node_modules/.bin/node).`,
  );
  process.exit(2);
}
const { values } = parseArgs({
  options: {
    upgrades: { type: 'string', default: '20' },
    clean: { type: 'boolean', default: false },
  },
});
const { runChaos } = await import('../test/reliability/chaos.ts');

const pct = values.clean ? 0 : undefined;
const started = performance.now();
const figures = await runChaos({
  upgrades: Number(values.upgrades),
  workers: 2,
  concurrency: 4,
  slowStartPct: pct ?? 30,
  crashBeforeAckPct: pct ?? 20,
  hangOnShutdownPct: pct ?? 20,
  exitMidRequestPct: pct ?? 20,
  responseDelayMs: 20,
  signalTimeoutSeconds: 2,
  onUpgrade: (index, ms) => printErr(`upgrade ${index}: done in ${Math.round(ms)} ms`),
});
const sorted = [...figures.upgradeMs].sort((a, b) => a - b);
const problems = [];
if (figures.upgradesCompleted !== Number(values.upgrades))
  problems.push('not every upgrade completed');
if (figures.requests.refused > 0) problems.push(`${figures.requests.refused} connections refused`);
if (figures.leftoverOldWorkers.length > 0)
  problems.push(`old workers still alive: ${figures.leftoverOldWorkers.join(', ')}`);
if (figures.requests.failed > figures.lossBound)
  problems.push(
    `${figures.requests.failed} failed requests, more than the ${figures.lossBound} in flight in dying workers`,
  );
print(
  JSON.stringify(
    {
      mode: values.clean ? 'clean (control)' : 'chaos',
      node: {
        runner: process.version,
        target: process.env.EINHORN_TEST_NODE ?? process.execPath,
      },
      ...figures,
      upgradeMs: {
        median: Math.round(sorted[Math.floor(sorted.length / 2)] ?? 0),
        min: Math.round(sorted[0] ?? 0),
        max: Math.round(sorted.at(-1) ?? 0),
      },
      durationSeconds: Number(((performance.now() - started) / 1000).toFixed(1)),
    },
    null,
    2,
  ),
);
for (const problem of problems) printErr(`FAIL ${problem}`);
process.exit(problems.length === 0 ? 0 : 1);
