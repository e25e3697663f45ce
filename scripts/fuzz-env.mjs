#!/usr/bin/env node
// Long fuzzing run of the worker environment parser of the BUILT @einhorn/core against the
// independent oracle in test/reliability/env-oracle.ts (the same properties as
// test/reliability/env-fuzz.test.ts, many more cases). Prints figures; exits 1 on a counterexample.
//
//   node scripts/fuzz-env.mjs [--runs N] [--seed S]      (Node >= 22.18: loads the .ts helpers natively)
//
// Build core first (`cd packages/core && npx tsup`).
import process from 'node:process';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';

/** CLI output (scripts may write to stdout/stderr). */
const print = (text) => process.stdout.write(`${text}\n`);
const printErr = (text) => process.stderr.write(`${text}\n`);

if (!process.features.typescript) {
  printErr(
    `fuzz-env: Node ${process.version} cannot load the TypeScript helpers; run it with Node >= 22.18 (the toolchain Node: node_modules/.bin/node).`,
  );
  process.exit(2);
}

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '200000' },
    seed: { type: 'string' },
  },
});
const runs = Number(values.runs);
const seed = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed);

const { default: fc } = await import('fast-check');
const { parseEinhornEnv } = await import('@einhorn/core');
const { chaoticEnv, envValue, wellFormedEnv } =
  await import('../test/reliability/env-arbitraries.ts');
const { checkParse, checkRoundTrip, checkSerialize } =
  await import('../test/reliability/env-properties.ts');

const tally = {
  ok: 0,
  missing: 0,
  invalid: 0,
  roundTrips: 0,
  written: 0,
  refused: 0,
};
const started = performance.now();
const properties = [
  [
    'hostile environments vs oracle',
    fc.property(
      chaoticEnv,
      fc.boolean(),
      (env, legacy) => void (tally[checkParse(env, legacy)] += 1),
    ),
    runs,
  ],
  [
    'well-formed environments round-trip',
    fc.property(wellFormedEnv, (env) => {
      checkParse(env, true);
      checkRoundTrip(parseEinhornEnv(env), env);
      tally.roundTrips += 1;
    }),
    Math.ceil(runs / 4),
  ],
  [
    'serializeEinhornEnv accepts exactly the valid values',
    fc.property(envValue, (value) => void (tally[checkSerialize(value)] += 1)),
    Math.ceil(runs / 4),
  ],
];

let failed = false;
for (const [name, property, numRuns] of properties) {
  const result = fc.check(property, { seed, numRuns });
  if (result.failed) {
    failed = true;
    printErr(`FAIL ${name}\n${fc.defaultReportMessage(result)}`);
  } else {
    print(`ok   ${name}: ${numRuns} cases`);
  }
}
const seconds = (performance.now() - started) / 1000;
print(
  JSON.stringify(
    {
      seed,
      environmentsParsed: tally.ok + tally.missing + tally.invalid,
      verdicts: {
        ok: tally.ok,
        missing: tally.missing,
        invalid: tally.invalid,
      },
      roundTrips: tally.roundTrips,
      serialized: { written: tally.written, refused: tally.refused },
      wrongFds: failed ? 'see FAIL above' : 0,
      untypedExceptions: failed ? 'see FAIL above' : 0,
      durationSeconds: Number(seconds.toFixed(1)),
      node: process.version,
    },
    null,
    2,
  ),
);
process.exit(failed ? 1 : 0);
