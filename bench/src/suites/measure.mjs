// One measured load window against a running topology: wrk + CPU of every server process from
// /proc + per-worker accepted connections and requests from the stats files.
import { cpuDelta, cpuSnapshot } from '../lib/procfs.mjs';
import { countsDelta, readStats } from '../lib/stats-dir.mjs';
import { jain, sleep } from '../lib/stats.mjs';
import { runWrk } from '../lib/wrk.mjs';

/** Time for every worker's stats file to be flushed after the load stopped. */
export const STATS_SETTLE_MS = 150;

/** Per-worker counts over a window and their Jain indexes. */
export function fairnessOf(before, after, pids) {
  const perWorker = countsDelta(before, after, pids);
  return {
    perWorker,
    jainConnections: jain(perWorker.map((w) => w.connections)),
    jainRequests: jain(perWorker.map((w) => w.requests)),
  };
}

/**
 * Runs `load` ('keepalive' or 'close') for `seconds` against `topology`.
 * @param options.settle wait for the workers' counters and compute fairness now; without it the
 *   caller calls `finish(statsAfter)` later (once the counters were flushed anyway).
 * @returns req/s, latency, errors, CPU (total and the master's / primary's), req per CPU-second
 *   and, once finished, per-worker fairness.
 */
export async function measureLoad(topology, { load, seconds, settle = true }) {
  const pids = topology.serverPids();
  const workers = topology.workerPids();
  const stats0 = readStats(topology.statsDir);
  const cpu0 = cpuSnapshot(pids);
  const wrk = await runWrk({ port: topology.port, seconds, close: load === 'close' });
  const cpu1 = cpuSnapshot(pids);
  const cpuTotal = cpuDelta(cpu0, cpu1);
  const launcherCpu =
    topology.launcherPid === undefined ? 0 : cpuDelta(cpu0, cpu1, [topology.launcherPid]);
  const result = {
    load,
    rps: wrk.rps,
    requests: wrk.requests,
    seconds: wrk.seconds,
    p50Ms: wrk.p50Ms,
    p99Ms: wrk.p99Ms,
    failed: wrk.failed,
    errors: wrk.errors,
    cpuSeconds: cpuTotal,
    launcherCpuSeconds: launcherCpu,
    launcherCpuPer10s: (launcherCpu * 10) / wrk.seconds,
    reqPerCpuSecond: cpuTotal > 0 ? wrk.requests / cpuTotal : Number.NaN,
  };
  const finish = (stats1) => Object.assign(result, fairnessOf(stats0, stats1, workers));
  if (!settle) return { result, finish };
  await sleep(STATS_SETTLE_MS);
  return finish(readStats(topology.statsDir));
}
