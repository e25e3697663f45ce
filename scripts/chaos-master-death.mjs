#!/usr/bin/env node
// Master death, measured (check 50, P22): starts a real einhorn-node master with 2 HTTP workers,
// SIGKILLs it, and reports, over several rounds:
//   with -k     how long until the last worker has exited (target: none alive after 1 s);
//   without -k  whether every worker survives and keeps serving HTTP.
// Prints figures as JSON; exits 1 if a -k worker outlives 1 s or a worker without -k dies.
//
//   node scripts/chaos-master-death.mjs [--rounds 5]
//
// Needs Node >= 22.18 to run (it loads the .ts helpers natively); the master and workers run on
// EINHORN_TEST_NODE when set, else on this Node.
import process from 'node:process';
import { parseArgs } from 'node:util';

/** CLI output (scripts may write to stdout/stderr). */
const print = (text) => process.stdout.write(`${text}\n`);
const printErr = (text) => process.stderr.write(`${text}\n`);

if (!process.features.typescript) {
  printErr(
    `chaos-master-death: Node ${process.version} cannot load the TypeScript helpers; run it with Node >= 22.18 (node_modules/.bin/node).`,
  );
  process.exit(2);
}
const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '5' } },
});
const rounds = Number(values.rounds);
const { httpGet, startMaster } = await import('../test/reliability/master-process.ts');
const { killMasterAndWatch } = await import('../test/reliability/master-death.ts');

const withK = [];
const withoutK = [];
const problems = [];
for (let round = 0; round < rounds; round++) {
  const killing = await startMaster({ args: ['-k'], workers: 2 });
  try {
    const result = await killMasterAndWatch(killing, {
      expectWorkersToDie: true,
    });
    withK.push(Math.round(result.lastExitMs));
    if (result.lastExitMs > 1000)
      problems.push(
        `-k round ${round}: the last worker exited ${Math.round(result.lastExitMs)} ms after the SIGKILL`,
      );
  } finally {
    await killing.destroy();
  }
  const orphaning = await startMaster({ workers: 2 });
  try {
    const port = (await orphaning.state()).bound_ports[0];
    const result = await killMasterAndWatch(orphaning, {
      expectWorkersToDie: false,
    });
    let served = 0;
    for (let i = 0; i < 20; i++) if (/^ok \d+\n$/.test(await httpGet(port))) served += 1;
    withoutK.push({
      workers: result.workers.length,
      survivors: result.survivors.length,
      httpServedAfterDeath: served,
    });
    if (result.survivors.length !== result.workers.length || served !== 20)
      problems.push(`no -k round ${round}: ${JSON.stringify(withoutK.at(-1))}`);
  } finally {
    await orphaning.destroy();
  }
}
const sorted = [...withK].sort((a, b) => a - b);
print(
  JSON.stringify(
    {
      node: {
        runner: process.version,
        target: process.env.EINHORN_TEST_NODE ?? process.execPath,
      },
      rounds,
      withK: {
        lastWorkerExitMs: withK,
        median: sorted[Math.floor(sorted.length / 2)],
        max: sorted.at(-1),
      },
      withoutK,
    },
    null,
    2,
  ),
);
for (const problem of problems) printErr(`FAIL ${problem}`);
process.exit(problems.length === 0 ? 0 : 1);
