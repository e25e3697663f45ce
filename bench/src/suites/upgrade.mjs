// B5: a smooth upgrade (replace every worker) under continuous keep-alive AND one-connection-
// per-request load (two wrk instances at once), counting every failed request of each. Our
// master with each adapter, a control whose workers use plain server.close(), and Node cluster's
// rolling restart (disconnect) and naive kill-and-respawn.
import { isAlive } from '../lib/procfs.mjs';
import { readStats } from '../lib/stats-dir.mjs';
import { sleep } from '../lib/stats.mjs';
import { startWrk } from '../lib/wrk.mjs';
import { startTopology, unsupported } from '../topologies/index.mjs';

export const UPGRADE_VARIANTS = {
  'einhorn-shared': { topology: 'einhorn-shared', label: 'einhorn-node + adapter, shared socket' },
  'einhorn-slots': {
    topology: 'einhorn-slots',
    label: 'einhorn-node + adapter, per-slot reuseport',
  },
  control: {
    topology: 'einhorn-bare',
    label: 'control: einhorn-node, workers use plain server.close()',
  },
  'cluster-rolling': {
    topology: 'cluster-rr',
    options: { restart: 'rolling' },
    label: 'Node cluster rolling restart (fork, then disconnect)',
  },
  'cluster-naive': {
    topology: 'cluster-rr',
    options: { restart: 'naive' },
    label: 'Node cluster naive kill-and-respawn',
  },
};

async function waitGone(pids, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (pids.some(isAlive) && Date.now() < deadline) await sleep(20);
  return !pids.some(isAlive);
}

const loadFigures = (result) => ({
  requests: result.requests,
  failed: result.failed,
  errors: result.errors,
});

/** One upgrade under load; the old workers get up to `drainWaitMs` to exit while load runs. */
export async function upgradeUnderLoad(topology, { leadMs, tailMs, drainWaitMs, connections }) {
  const common = { port: topology.port, seconds: 120, connections, threads: 1, timeoutSec: 10 };
  const keepalive = startWrk(common);
  const close = startWrk({ ...common, close: true });
  await sleep(leadMs);
  const started = Date.now();
  const upgrade = await topology.upgrade();
  const exitedUnderLoad = await waitGone(upgrade.oldPids, drainWaitMs);
  const drainMs = Date.now() - started;
  await sleep(tailMs);
  const [ka, cl] = await Promise.all([keepalive.stop(), close.stop()]);
  const exited = exitedUnderLoad || (await waitGone(upgrade.oldPids, 15_000));
  const stats = readStats(topology.statsDir);
  return {
    upgradeMs: upgrade.ms,
    drainMs: exitedUnderLoad ? drainMs : Number.NaN,
    exitedUnderLoad,
    exited,
    oldExitCodes: upgrade.oldPids.map((pid) => stats.get(pid)?.exitCode ?? null),
    keepalive: loadFigures(ka),
    close: loadFigures(cl),
  };
}

/** Starts every variant × framework, then runs rep × variant upgrades, interleaved. */
export async function runUpgrades(plan, { node, nodeVersion, root, log }) {
  const running = [];
  const skipped = [];
  const runs = [];
  try {
    for (const { variant, framework } of plan.variants) {
      const spec = UPGRADE_VARIANTS[variant];
      const reason = unsupported(spec.topology, plan.workers, nodeVersion);
      if (reason) {
        skipped.push({ variant, framework, reason });
        continue;
      }
      const topology = await startTopology(spec.topology, {
        framework,
        workers: plan.workers,
        node,
        root,
        ...spec.options,
      });
      running.push({ variant, framework, topology });
    }
    for (let rep = 0; rep < plan.reps; rep++) {
      for (const { variant, framework, topology } of running) {
        const result = await upgradeUnderLoad(topology, plan);
        runs.push({ variant, framework, workers: plan.workers, rep, ...result });
        log(
          `  upgrade ${variant.padEnd(15)} ${framework.padEnd(7)} rep ${rep + 1}/${plan.reps}: failed keep-alive ` +
            `${result.keepalive.failed}/${result.keepalive.requests}, close ${result.close.failed}/${result.close.requests}; ` +
            `upgrade ${Math.round(result.upgradeMs)} ms, old gone after ${Math.round(result.drainMs)} ms, exit codes ${result.oldExitCodes.join(',')}`,
        );
      }
    }
  } finally {
    for (const { topology } of running) await topology.stop();
  }
  return { workers: plan.workers, skipped, runs };
}
