import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
const B = './src';
const { runRefusal } = await import(`./src/suites/refusal.mjs`);
const { runMasterCost } = await import(`./src/suites/master-cost.mjs`);
const { killEverything } = await import(`./src/lib/processes.mjs`).catch(() => ({ killEverything: () => {} }));
const root = mkdtempSync(join(tmpdir(), 'einhorn-bench-mine-'));
const node = process.execPath;
const log = (...a) => console.error(...a);
const ctx = { node, nodeVersion: process.version, root, log };
try {
  const which = process.argv[2] ?? 'both';
  const out = {};
  if (which !== 'cost') out.refusal = await runRefusal({ reps: 3, clusterReference: true }, ctx);
  if (which !== 'refusal') out.masterCost = await runMasterCost({ workers: 2, idleMs: 5000, stateRequests: 1000 }, ctx);
  console.log(JSON.stringify(out, null, 2));
} finally { killEverything(); rmSync(root, { recursive: true, force: true }); }
