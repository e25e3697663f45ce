// B4 at partial load: a rate-limited generator opens 300 or 1500 new connections per second
// (one request each) and the accepted connections per worker give Jain's index.
import { fileURLToPath } from 'node:url';
import { JsonLines } from '../lib/json-lines.mjs';
import { startProcess } from '../lib/processes.mjs';
import { readStats } from '../lib/stats-dir.mjs';
import { sleep } from '../lib/stats.mjs';
import { startTopology, unsupported } from '../topologies/index.mjs';
import { STATS_SETTLE_MS, fairnessOf } from './measure.mjs';

const GENERATOR = fileURLToPath(new URL('../load/conn-rate.mjs', import.meta.url));

async function generate({ port, rate, durationMs, node }) {
  const child = startProcess(node, [
    GENERATOR,
    '--port',
    String(port),
    '--rate',
    String(rate),
    '--duration-ms',
    String(durationMs),
  ]);
  const line = await new JsonLines(child.stdout).waitFor((l) => l.connRate === 1, {
    timeoutMs: durationMs + 30_000,
  });
  await child.exited;
  return line;
}

/** One partial-load window; fairness over the workers alive at its start. */
export async function measureRate(topology, { rate, durationMs, node }) {
  const workers = topology.workerPids();
  const before = readStats(topology.statsDir);
  const generated = await generate({ port: topology.port, rate, durationMs, node });
  await sleep(STATS_SETTLE_MS);
  return { rate, ...generated, ...fairnessOf(before, readStats(topology.statsDir), workers) };
}

/** For each N: start the topologies, then rep × rate × topology windows, interleaved. */
export async function runFairness(plan, { node, nodeVersion, root, log }) {
  const runs = [];
  const skipped = [];
  for (const workers of plan.workers) {
    const running = [];
    try {
      for (const id of plan.topologies) {
        const reason = unsupported(id, workers, nodeVersion);
        if (reason) skipped.push({ topology: id, workers, reason });
        else
          running.push(await startTopology(id, { framework: plan.framework, workers, node, root }));
      }
      for (let rep = 0; rep < plan.reps; rep++) {
        for (const rate of plan.rates) {
          for (const topology of running) {
            const durationMs = Math.max(1000, Math.round((plan.windowConnections / rate) * 1000));
            const result = await measureRate(topology, { rate, durationMs, node });
            runs.push({
              framework: plan.framework,
              workers,
              topology: topology.id,
              rep,
              ...result,
            });
            log(
              `  fairness N=${workers} ${rate}/s rep ${rep + 1}/${plan.reps} ${topology.id.padEnd(14)} ` +
                `Jain ${result.jainConnections.toFixed(3)} (${result.perWorker.map((w) => w.connections).join('/')}), failed ${result.failed + result.refused}`,
            );
          }
        }
      }
    } finally {
      for (const topology of running) await topology.stop();
    }
  }
  return { framework: plan.framework, rates: plan.rates, skipped, runs };
}
