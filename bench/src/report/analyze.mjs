// Turns raw runs into per-configuration summaries: medians with min–max, and every throughput
// figure as a ratio to Node cluster round-robin of the same group, paired rep by rep.
import { pairedRatio, summarize } from '../lib/stats.mjs';

const byRep = (runs) => [...runs].sort((a, b) => a.rep - b.rep);
const pick = (runs, key) => byRep(runs).map((run) => run[key]);

/** One row per group × topology × load. */
export function throughputRows(groups = []) {
  const rows = [];
  for (const group of groups) {
    const reference = (topology, load) =>
      group.runs.filter((run) => run.topology === topology && run.load === load);
    for (const { id, label } of group.topologies) {
      for (const load of ['keepalive', 'close']) {
        const runs = reference(id, load);
        if (runs.length === 0) continue;
        const rr = reference('cluster-rr', load);
        const none = reference('cluster-none', load);
        rows.push({
          framework: group.framework,
          workers: group.workers,
          topology: id,
          label,
          load,
          reps: runs.length,
          rps: summarize(pick(runs, 'rps')),
          rpsVsRr: pairedRatio(pick(runs, 'rps'), pick(rr, 'rps')),
          rpsVsNone: pairedRatio(pick(runs, 'rps'), pick(none, 'rps')),
          p50Ms: summarize(pick(runs, 'p50Ms')),
          p99Ms: summarize(pick(runs, 'p99Ms')),
          reqPerCpu: summarize(pick(runs, 'reqPerCpuSecond')),
          reqPerCpuVsRr: pairedRatio(pick(runs, 'reqPerCpuSecond'), pick(rr, 'reqPerCpuSecond')),
          launcherCpuPer10s: summarize(pick(runs, 'launcherCpuPer10s')),
          jainConnections: summarize(pick(runs, 'jainConnections')),
          jainRequests: summarize(pick(runs, 'jainRequests')),
          failed: runs.reduce((sum, run) => sum + run.failed, 0),
        });
      }
    }
  }
  return rows;
}

/** Req per CPU-second of `topology` ÷ `baseline` in the same group, paired by rep. */
export function cpuEfficiencyRatio(group, { topology, baseline, load }) {
  const runs = (id) => group.runs.filter((run) => run.topology === id && run.load === load);
  return pairedRatio(
    pick(runs(topology), 'reqPerCpuSecond'),
    pick(runs(baseline), 'reqPerCpuSecond'),
  );
}

/** One row per N × rate × topology of the partial-load fairness probe. */
export function fairnessRows(fairness) {
  if (!fairness) return [];
  const keys = new Map();
  for (const run of fairness.runs) {
    const key = `${run.workers}|${run.rate}|${run.topology}`;
    if (!keys.has(key)) keys.set(key, []);
    keys.get(key).push(run);
  }
  return [...keys.values()].map((runs) => ({
    workers: runs[0].workers,
    rate: runs[0].rate,
    topology: runs[0].topology,
    jainConnections: summarize(pick(runs, 'jainConnections')),
    perWorker: byRep(runs).map((run) => run.perWorker.map((w) => w.connections)),
    attempted: runs.reduce((sum, run) => sum + run.attempted, 0),
    failed: runs.reduce((sum, run) => sum + run.failed + run.refused, 0),
  }));
}

/** One row per upgrade variant × framework. */
export function upgradeRows(upgrade) {
  if (!upgrade) return [];
  const keys = new Map();
  for (const run of upgrade.runs) {
    const key = `${run.variant}|${run.framework}`;
    if (!keys.has(key)) keys.set(key, []);
    keys.get(key).push(run);
  }
  return [...keys.values()].map((runs) => ({
    variant: runs[0].variant,
    framework: runs[0].framework,
    reps: runs.length,
    keepaliveFailed: pick(runs, 'keepalive').map((load) => load.failed),
    closeFailed: pick(runs, 'close').map((load) => load.failed),
    keepaliveRequests: pick(runs, 'keepalive').map((load) => load.requests),
    closeRequests: pick(runs, 'close').map((load) => load.requests),
    upgradeMs: summarize(pick(runs, 'upgradeMs')),
    drainMs: summarize(pick(runs, 'drainMs')),
    exitCodes: runs.flatMap((run) => run.oldExitCodes),
    exitedUnderLoad: runs.every((run) => run.exitedUnderLoad),
  }));
}
