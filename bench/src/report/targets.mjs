// Every target B1–B10 as rows of { id, scope, figure, target, measured, verdict, note }.
import { importCostTargets } from './targets-import-cost.mjs';
import { probeTargets } from './targets-probes.mjs';
import { throughputTargets } from './targets-throughput.mjs';

export function evaluateTargets(results) {
  const rows = [
    ...(results.suites.throughput ? throughputTargets(results) : []),
    ...probeTargets(results),
    ...importCostTargets(results.suites.importCost),
  ];
  const order = (id) => Number(id.slice(1));
  return rows.sort((a, b) => order(a.id) - order(b.id));
}

/** One console line per target row. */
export function formatTargetLine(target) {
  const mark = { met: 'MET   ', missed: 'MISSED', info: 'info  ', 'n/a': 'n/a   ' }[target.verdict];
  return `${mark} ${target.id} ${target.scope} — ${target.figure}: ${target.measured} (target ${target.target})`;
}
