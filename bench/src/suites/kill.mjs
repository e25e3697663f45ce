// B8: one worker SIGKILLed under keep-alive and one-connection-per-request load (two wrk at once).
// Its in-flight requests are the connections it had accepted when it died: it is frozen with
// SIGSTOP, its established connections are counted (`ss -tnp`), then it gets SIGKILL, so the count
// is exact (under wrk every accepted connection carries one outstanding request or is about to).
// At most those may fail, and no connection may be refused.
import { establishedByPid } from '../lib/net-utils.mjs';
import { sleep } from '../lib/stats.mjs';
import { startWrk } from '../lib/wrk.mjs';
import { startTopology, unsupported } from '../topologies/index.mjs';

async function killUnderLoad(topology, { leadMs, tailMs, connections }) {
  const common = { port: topology.port, seconds: 120, connections, threads: 1, timeoutSec: 10 };
  const keepalive = startWrk(common);
  const close = startWrk({ ...common, close: true });
  await sleep(leadMs);
  const [victim] = topology.workerPids();
  const from = topology.events?.lines.length ?? 0;
  process.kill(victim, 'SIGSTOP');
  const established = await establishedByPid(topology.port);
  process.kill(victim, 'SIGKILL');
  const killedAt = Date.now();
  await topology.waitReplaced(victim, { from });
  const replacedMs = Date.now() - killedAt;
  await sleep(tailMs);
  const [ka, cl] = await Promise.all([keepalive.stop(), close.stop()]);
  return {
    inFlight: established.get(victim) ?? 0,
    replacedMs,
    failed: ka.failed + cl.failed,
    refused: ka.errors.connect + cl.errors.connect,
    keepalive: { requests: ka.requests, failed: ka.failed, errors: ka.errors },
    close: { requests: cl.requests, failed: cl.failed, errors: cl.errors },
  };
}

/** rep × topology, interleaved; node:http, N workers. */
export async function runKill(plan, { node, nodeVersion, root, log }) {
  const running = [];
  const skipped = [];
  const runs = [];
  try {
    for (const id of plan.topologies) {
      const reason = unsupported(id, plan.workers, nodeVersion);
      if (reason) skipped.push({ topology: id, reason });
      else
        running.push(
          await startTopology(id, { framework: 'http', workers: plan.workers, node, root }),
        );
    }
    for (let rep = 0; rep < plan.reps; rep++) {
      for (const topology of running) {
        const result = await killUnderLoad(topology, plan);
        runs.push({ topology: topology.id, workers: plan.workers, rep, ...result });
        log(
          `  kill ${topology.id.padEnd(14)} rep ${rep + 1}/${plan.reps}: failed ${result.failed} (in flight ${result.inFlight}), ` +
            `refused ${result.refused}, replaced after ${result.replacedMs} ms`,
        );
      }
    }
  } finally {
    for (const topology of running) await topology.stop();
  }
  return { workers: plan.workers, skipped, runs };
}
