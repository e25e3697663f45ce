// B1 (keep-alive), B2 (one connection per request), B3 (SDK vs bare framework, 1 worker) and
// B4 at saturation: every topology of a group (framework × N) runs side by side, and each rep
// loads them in turn (A B C … A B C …, the order rotated every rep; keep-alive, then close).
// A run's per-worker counters are read when that topology's next run starts (they have long
// been flushed by then), which saves a settle pause per run.
import { TOPOLOGIES, startTopology, unsupported } from '../topologies/index.mjs';
import { readStats } from '../lib/stats-dir.mjs';
import { sleep } from '../lib/stats.mjs';
import { runWrk } from '../lib/wrk.mjs';
import { STATS_SETTLE_MS, measureLoad } from './measure.mjs';

const LOADS = ['keepalive', 'close'];

async function warmUp(topology, seconds) {
  for (const load of LOADS) await runWrk({ port: topology.port, seconds, close: load === 'close' });
}

const rotate = (list, by) => list.map((_, i) => list[(i + by) % list.length]);

/** Runs one group; returns its runs and the topologies skipped (with the reason). */
export async function runGroup(group, { node, nodeVersion, root, log }) {
  const { framework, workers, reps, seconds, warmupSeconds } = group;
  const skipped = [];
  const running = [];
  try {
    for (const id of group.topologies) {
      const reason = unsupported(id, workers, nodeVersion);
      if (reason) skipped.push({ topology: id, reason });
      else running.push(await startTopology(id, { framework, workers, node, root }));
    }
    for (const topology of running) await warmUp(topology, warmupSeconds);
    const runs = [];
    const unfinished = new Map();
    const finish = (topology) => unfinished.get(topology)?.(readStats(topology.statsDir));
    const settle = running.length < 2;
    for (let rep = 0; rep < reps; rep++) {
      for (const load of LOADS) {
        for (const topology of rotate(running, rep)) {
          finish(topology);
          const measured = await measureLoad(topology, { load, seconds, settle });
          const result = settle ? measured : measured.result;
          if (!settle) unfinished.set(topology, measured.finish);
          runs.push(Object.assign(result, { framework, workers, topology: topology.id, rep }));
          log(
            `  ${framework} N=${workers} rep ${rep + 1}/${reps} ${topology.id.padEnd(14)} ${load.padEnd(9)} ` +
              `${Math.round(result.rps)} req/s, ${Math.round(result.reqPerCpuSecond)} req/CPU-s, failed ${result.failed}`,
          );
        }
      }
    }
    await sleep(STATS_SETTLE_MS);
    for (const topology of running) finish(topology);
    return {
      framework,
      workers,
      reps,
      seconds,
      topologies: group.topologies.map((id) => ({ id, label: TOPOLOGIES[id].label })),
      skipped,
      runs,
    };
  } finally {
    for (const topology of running) await topology.stop();
  }
}
