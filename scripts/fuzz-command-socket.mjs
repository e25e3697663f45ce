#!/usr/bin/env node
// Long fuzzing run of the REAL command socket (the same generator and checks as
// test/reliability/command-socket-fuzz.test.ts, many more lines), in three phases:
//   1. the built startCommandServer in a fixture process, with 960 idle and 24 half-line
//      connections held open throughout, health-checked (`state`) after every batch;
//   2. a connection flood beyond the server's 1024-connection limit;
//   3. a real einhorn-node master with an HTTP worker, serving HTTP during the fuzzing.
// Prints figures as JSON; exits 1 on any crash, hang, bad reply or memory growth over the bound.
//
//   node scripts/fuzz-command-socket.mjs [--lines 10000] [--seed S] [--no-master] [--default-heap]
//
// Needs Node >= 22.18 to run (it loads the .ts helpers natively); the processes it fuzzes run on
// EINHORN_TEST_NODE when set, else on this Node. Build core and master first.
import process from 'node:process';
import { performance } from 'node:perf_hooks';
import { mkdtempSync, rmSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { URL, fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/** CLI output (scripts may write to stdout/stderr). */
const print = (text) => process.stdout.write(`${text}\n`);
const printErr = (text) => process.stderr.write(`${text}\n`);

if (!process.features.typescript) {
  printErr(
    `fuzz-command-socket: Node ${process.version} cannot load the TypeScript helpers; run it with Node >= 22.18 (node_modules/.bin/node).`,
  );
  process.exit(2);
}
const { values } = parseArgs({
  options: {
    lines: { type: 'string', default: '10000' },
    seed: { type: 'string' },
    'no-master': { type: 'boolean', default: false },
    'default-heap': { type: 'boolean', default: false },
  },
});
const targetLines = Number(values.lines);
const seed = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed);
const NODE = process.env.EINHORN_TEST_NODE ?? process.execPath;
const MIB = 1024 * 1024;
const RSS_BOUND = 64 * MIB;
const BATCH = 400;
const opts = { concurrency: 6, maxLineBytes: MIB, timeoutMs: 30_000 };

const { default: fc } = await import('fast-check');
const { CAPPED_HEAP_NODE_OPTIONS, emptyStats, queryState, rssBytes, runBatch } =
  await import('../test/reliability/fuzz-runner.ts');
// The fuzzed processes run with a capped heap (see CAPPED_HEAP_NODE_OPTIONS): a leak then
// crashes them and RSS growth means retention; --default-heap shows the default GC's figures.
const heapEnv = values['default-heap'] ? {} : { NODE_OPTIONS: CAPPED_HEAP_NODE_OPTIONS };
const { holdConnections } = await import('../test/reliability/held-connections.ts');
const { hostileProbe } = await import('../test/reliability/hostile-lines.ts');
const { KNOWN_KILLERS } = await import('../test/reliability/known-killers.ts');
const { httpGet, startMaster, until } = await import('../test/reliability/master-process.ts');

const problems = [];
const started = performance.now();

/** Fuzzes until `lines` lines were sent, in batches, checking health and RSS after each. */
async function fuzz(path, pid, target, lines, isAlive, extraCheck = () => Promise.resolve()) {
  const stats = emptyStats();
  const generator = hostileProbe({ target, maxLineBytes: MIB, hugeWeight: 2 });
  const startRss = rssBytes(pid);
  await runBatch(path, KNOWN_KILLERS, { ...opts, stats });
  let maxRss = startRss;
  // Growth is measured from the end of the first batch: by then V8 has sized its heap for the
  // ~1 MiB lines (each costs ~50 MB of short-lived garbage in the YAML decoder), so what is left
  // is retention, which is what the bound is about.
  let baseline = 0;
  for (let batch = 0; stats.linesSent < lines || batch < 2; batch++) {
    const probes = fc.sample(generator, {
      seed: seed + batch + (target === 'master' ? 1e6 : 0),
      numRuns: BATCH,
    });
    await runBatch(path, probes, { ...opts, stats });
    maxRss = Math.max(maxRss, rssBytes(pid));
    if (batch === 0) baseline = rssBytes(pid);
    if (!isAlive()) {
      problems.push(`${target}: the process died during batch ${batch}`);
      break;
    }
    const state = await queryState(path);
    if (state.prototypeClean === false)
      problems.push(`${target}: Object.prototype was polluted in batch ${batch}`);
    await extraCheck();
  }
  const growth = rssBytes(pid) - baseline;
  if (growth > RSS_BOUND)
    problems.push(
      `${target}: RSS grew by ${(growth / MIB).toFixed(1)} MiB (bound ${RSS_BOUND / MIB})`,
    );
  for (const failure of stats.failures.slice(0, 20))
    problems.push(`${target}: ${failure.problem}\n    reproducer: ${failure.reproducer}`);
  return {
    ...stats,
    failures: stats.failures.length,
    startRssMiB: mib(startRss),
    rssAfterFirstBatchMiB: mib(baseline),
    maxRssMiB: mib(maxRss),
    rssGrowthAfterFirstBatchMiB: mib(growth),
  };
}

const mib = (bytes) => Number((bytes / MIB).toFixed(1));

/** Opens `count` connections one after another and holds them; resolves with how many the server kept. */
async function flood(path, count) {
  const sockets = [];
  for (let i = 0; i < count; i++) {
    const socket = connect(path).on('error', () => undefined);
    sockets.push(socket);
    await new Promise((resolve) => {
      socket.once('connect', resolve);
      socket.once('close', resolve);
    });
  }
  // The kept sockets answer `help`; the server closed the ones beyond its limit.
  const answers = sockets.map(
    (socket, i) =>
      new Promise((resolve) => {
        if (socket.destroyed) return resolve(false);
        socket.once('data', () => resolve(true));
        socket.once('close', () => resolve(false));
        socket.write(`{"command":"help","id":${i}}\n`);
      }),
  );
  const kept = (await Promise.all(answers)).filter(Boolean).length;
  await Promise.all(
    sockets.map((socket) =>
      socket.destroyed ? undefined : (socket.destroy(), once(socket, 'close')),
    ),
  );
  return { opened: count, answered: kept, refused: count - kept };
}

// Phase 1 and 2: the command server in its own process.
const dir = mkdtempSync(join(tmpdir(), 'einhorn-fuzz-'));
const path = join(dir, 'einhorn.sock');
const server = spawn(
  NODE,
  [
    fileURLToPath(new URL('../test/fixtures/reliability/command-server.mjs', import.meta.url)),
    path,
  ],
  { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...heapEnv } },
);
let serverErr = '';
server.stderr.setEncoding('utf8').on('data', (chunk) => (serverErr += chunk));
await new Promise((resolve, reject) => {
  server.stdout.setEncoding('utf8').on('data', (chunk) => chunk.includes('ready ') && resolve());
  server.once('exit', (code) => reject(new Error(`command server exited ${code}: ${serverErr}`)));
});
const serverAlive = () => server.exitCode === null && server.signalCode === null;
// Whatever happens to this script (an uncaught error included), nothing it started survives it.
const startedPids = new Set([server.pid]);
let runningMaster;
process.once('exit', () => {
  for (const event of runningMaster?.events() ?? []) startedPids.add(event.pid);
  for (const pid of startedPids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});
const held = await holdConnections(path, 960, 24);
const fixture = await fuzz(path, server.pid, 'fixture', targetLines, serverAlive);
const heldResult = await held.finish(30_000);
if (heldResult.answered !== 984)
  problems.push(`fixture: only ${heldResult.answered}/984 held connections answered at the end`);
// Wait until the server has seen the held connections go, so the flood meets an empty server.
await until(
  async () => ((await queryState(path)).connections <= 1 ? true : undefined),
  'the held connections to close',
);
const floodResult = await flood(path, 1500);
if (floodResult.answered < 1000 || floodResult.answered > 1024)
  problems.push(`fixture: flood kept ${floodResult.answered} of 1500 connections (limit 1024)`);
await queryState(path).catch((error) =>
  problems.push(`fixture: no state after the flood: ${error}`),
);
if (!serverAlive() || serverErr.includes('CRASH')) problems.push(`fixture: crashed: ${serverErr}`);
server.kill('SIGTERM');
await once(server, 'exit');
rmSync(dir, { recursive: true, force: true });

// Phase 3: a real master with an HTTP worker.
let master;
if (!values['no-master']) {
  const running = await startMaster({ env: heapEnv });
  startedPids.add(running.pid);
  runningMaster = running;
  try {
    const before = await running.state();
    const port = before.bound_ports[0];
    const alive = () => running.child.exitCode === null && running.child.signalCode === null;
    // HTTP traffic through the worker for the whole phase, one fresh connection per request.
    let fuzzing = true;
    let served = 0;
    const traffic = (async () => {
      while (fuzzing) {
        await httpGet(port);
        served += 1;
      }
    })();
    const result = await fuzz(
      running.socketPath,
      running.pid,
      'master',
      Math.ceil(targetLines / 2),
      alive,
      () => httpGet(port),
    );
    fuzzing = false;
    await traffic.catch((error) =>
      problems.push(`master: HTTP through the worker failed: ${error}`),
    );
    const after = await running.state();
    if (
      JSON.stringify(Object.keys(after.children)) !==
        JSON.stringify(Object.keys(before.children)) ||
      after.version !== before.version
    )
      problems.push('master: the fleet changed during fuzzing');
    master = { ...result, httpRequestsServed: served };
  } finally {
    await running.destroy();
  }
}

const figures = {
  seed,
  node: { runner: process.version, target: NODE },
  heap: values['default-heap'] ? 'default' : CAPPED_HEAP_NODE_OPTIONS,
  linesSent: fixture.linesSent + (master?.linesSent ?? 0),
  crashes: problems.filter((p) => /died|crashed/.test(p)).length,
  failures: problems.length,
  fixture,
  heldConnections: heldResult,
  flood: floodResult,
  master: master ?? 'skipped',
  durationSeconds: Number(((performance.now() - started) / 1000).toFixed(1)),
};
print(JSON.stringify(figures, null, 2));
for (const problem of problems) printErr(`FAIL ${problem}`);
process.exit(problems.length === 0 ? 0 : 1);
