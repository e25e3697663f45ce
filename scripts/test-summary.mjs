#!/usr/bin/env node
// Adds up the vitest JSON reports written during `npm test` and prints the run's duration, then
// one closing line, `tests: N passed, N failed, N skipped`, which CI parses: keep it last.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', '.test-results');
let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of existsSync(dir) ? readdirSync(dir) : []) {
  if (!file.endsWith('.json')) continue;
  const report = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  passed += report.numPassedTests ?? 0;
  failed += report.numFailedTests ?? 0;
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
}
// Written by scripts/clean-results.mjs, the first step of `npm test`.
const startedAt = join(dir, 'started-at.txt');
const started = existsSync(startedAt) ? Number(readFileSync(startedAt, 'utf8')) : Number.NaN;
if (Number.isFinite(started))
  console.log(`duration: ${Math.round((Date.now() - started) / 1000)} s`);
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
