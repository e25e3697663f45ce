#!/usr/bin/env node
// Runs the integration suite (test/) once per supported Node major, then the Express suites
// again with Express 4, then the release project (tarballs and consumer apps) once. Vitest itself runs on the
// toolchain Node; every worker and master process the tests spawn runs on the Node under test,
// passed as EINHORN_TEST_NODE. Exits non-zero if any leg fails or a required Node is missing.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// The system Node: the first `node` on PATH outside any node_modules (npm scripts put the pinned
// toolchain Node first, and npm itself may run on it, so npm_node_execpath is not reliable).
function findSystemNode() {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    if (!dir || dir.includes('node_modules')) continue;
    const candidate = join(dir, 'node');
    if (existsSync(candidate)) return candidate;
  }
  return '/usr/bin/node';
}
const systemNode = findSystemNode();
const legs = [
  { label: 'node20', bin: systemNode, major: 20 },
  { label: 'node22', bin: join(root, 'tools/node22/node_modules/node/bin/node'), major: 22 },
  { label: 'node24', bin: join(root, 'node_modules/node/bin/node'), major: 24 },
];
// Express 4 is a supported peer too: its leg reruns the Express suites with tools/express4.
const express4 = {
  label: 'express4',
  bin: legs[2].bin,
  major: 24,
  files: ['adapters/express'],
  env: {
    EINHORN_FIXTURE_EXPRESS_DIR: join(root, 'tools/express4/node_modules/express'),
    EINHORN_TEST_EXPRESS_MAJOR: '4',
  },
};
legs.push(express4);
// The release project runs once, on the lowest supported Node (what users of the packages run):
// it packs every package, checks the tarballs, and runs fresh apps installed from them.
legs.push({
  label: 'release',
  bin: systemNode,
  major: 20,
  args: ['--config', 'vitest.release.config.ts'],
});
const only = process.env['EINHORN_TEST_ONLY_NODE'];
const extraArgs = process.argv.slice(2);
/** Every leg run or refused: `why` is undefined when it passed; `ran` when vitest ran it. */
const outcomes = [];
function refuse(leg, message, why) {
  console.error(`[node-matrix] ${leg.label}: ${message}`);
  outcomes.push({ leg, why, ran: false });
}

for (const leg of legs) {
  if (only && only !== leg.label) continue;
  if (!existsSync(leg.bin)) {
    refuse(leg, `missing ${leg.bin}; run npm install.`, `missing ${leg.bin}`);
    continue;
  }
  const version = spawnSync(leg.bin, ['--version'], { encoding: 'utf8' }).stdout.trim();
  if (!version.startsWith(`v${leg.major}.`)) {
    refuse(
      leg,
      `expected Node ${leg.major}, found ${version} at ${leg.bin}.`,
      `expected Node ${leg.major}, found ${version}`,
    );
    continue;
  }
  console.log(`\n[node-matrix] integration suite: ${leg.label} (Node ${version})`);
  // A report left by an earlier run must not stand in for this one if vitest dies before writing.
  rmSync(reportFile(leg), { force: true });
  const result = spawnSync(
    'vitest',
    ['run', ...(leg.args ?? []), ...(leg.files ?? []), ...extraArgs],
    {
      cwd: join(root, 'test'),
      stdio: 'inherit',
      env: {
        ...process.env,
        ...leg.env,
        EINHORN_TEST_NODE: leg.bin,
        EINHORN_TEST_NODE_LABEL: leg.label,
      },
    },
  );
  const why = result.status === 0 ? undefined : `exit ${result.status ?? result.signal}`;
  if (why !== undefined) console.error(`[node-matrix] ${leg.label}: FAILED (${why})`);
  outcomes.push({ leg, why, ran: true });
}
const failed = outcomes.filter((outcome) => outcome.why !== undefined).length;
printSummary();
process.exit(failed === 0 ? 0 : 1);

// The legs' own output scrolls away in a long CI log, so the last lines name every failed leg
// and, from its vitest JSON report, every failed test with the first lines of its error.
function printSummary() {
  if (outcomes.length < 2 && failed === 0) return;
  const lines = ['', '[node-matrix] summary:'];
  for (const { leg, why, ran } of outcomes) {
    lines.push(`  ${leg.label}: ${why === undefined ? 'passed' : `FAILED (${why})`}`);
    if (why !== undefined && ran) lines.push(...failedTests(leg).map((line) => `    ${line}`));
  }
  (failed === 0 ? console.log : console.error)(lines.join('\n'));
}

/** Where the leg's vitest config writes its JSON report (test/vitest*.config.ts). */
function reportFile(leg) {
  return join(root, '.test-results', `integration-${leg.label}.json`);
}

function failedTests(leg) {
  const file = reportFile(leg);
  if (!existsSync(file)) return ['(no JSON report: vitest did not finish)'];
  let report;
  try {
    report = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    return [`(unreadable JSON report ${file}: ${error.message})`];
  }
  const lines = [];
  for (const suite of report.testResults ?? []) {
    const name = suite.name.startsWith(root) ? suite.name.slice(root.length + 1) : suite.name;
    const failures = (suite.assertionResults ?? []).filter((test) => test.status === 'failed');
    if (failures.length === 0 && suite.status === 'failed') {
      lines.push(`${name}: ${firstLines(suite.message)}`);
    }
    for (const test of failures) {
      lines.push(`${name} > ${test.fullName}`);
      lines.push(`  ${firstLines((test.failureMessages ?? []).join('\n'))}`);
    }
  }
  return lines.length > 0 ? lines : ['(the report lists no failed test)'];
}

function firstLines(text, count = 4) {
  return String(text ?? '')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .slice(0, count)
    .join('\n      ');
}
