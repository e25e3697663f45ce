// B6: spawn → ACK of an adapter worker under our master, next to the same app's plain startup
// (spawn → listening) and a bare `node -e 0` (spawn → exit); all timed from the moment spawn()
// returned in the parent. The ACK transport (the worker's ack() call) is timed in the worker.
import { once } from 'node:events';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createMaster } from '@einhorn/master';
import { startProcess, stopProcess } from '../lib/processes.mjs';
import { readStats } from '../lib/stats-dir.mjs';
import { summarize } from '../lib/stats.mjs';
import { SERVERS } from '../topologies/paths.mjs';

async function timeSpawn(node, args, until) {
  const child = startProcess(node, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const spawned = performance.now();
  if (until === 'exit') await child.exited;
  else await once(child.stdout, 'data');
  const ms = performance.now() - spawned;
  await stopProcess(child, { signal: 'SIGKILL' });
  return ms;
}

function timedMaster({ node, framework, dir, statsDir }) {
  const master = createMaster({
    command: node,
    args: [SERVERS.sdkWorker, '--framework', framework],
    bind: ['127.0.0.1:0'],
    workers: 1,
    ack: { mode: 'manual' },
    commandSocketPath: join(dir, 'einhorn.sock'),
    respawnBackoff: { minMs: 50 },
    env: { ...process.env, BENCH_STATS_DIR: statsDir },
  });
  const spawnedAt = new Map();
  const ackMs = [];
  master.on('worker:spawn', (worker) => spawnedAt.set(worker.pid, performance.now()));
  master.on('worker:ack', (worker) => ackMs.push(performance.now() - spawnedAt.get(worker.pid)));
  return { master, ackMs };
}

/** Per framework: `samples` × (upgrade → one spawn→ACK, one plain startup, one `node -e 0`). */
export async function runStartup(plan, { node, root, log }) {
  const results = [];
  for (const framework of plan.frameworks) {
    const dir = mkdtempSync(join(root, `startup-${framework}-`));
    const statsDir = join(dir, 'stats');
    mkdirSync(statsDir);
    const { master, ackMs } = timedMaster({ node, framework, dir, statsDir });
    const plainMs = [];
    const bareMs = [];
    try {
      await master.start();
      await once(master, 'worker:ack');
      ackMs.length = 0; // the first start is not a sample: it races the master's own start-up
      for (let i = 0; i < plan.samples; i++) {
        const [old] = master.state.workers;
        const exited = once(master, 'worker:exit');
        await master.upgrade();
        if (master.state.workers.some((w) => w.pid === old.pid)) await exited;
        plainMs.push(
          await timeSpawn(
            node,
            [SERVERS.port, '--framework', framework, '--port', '0', '--announce'],
            'data',
          ),
        );
        bareMs.push(await timeSpawn(node, ['-e', '0'], 'exit'));
      }
    } finally {
      await master.stop({ signal: 'SIGTERM', timeoutMs: 5000 });
    }
    const workers = [...readStats(statsDir).values()];
    const figure = (name) => summarize(workers.map((r) => r[name]).filter(Number.isFinite));
    const result = {
      framework,
      spawnToAckMs: summarize(ackMs),
      plainStartupMs: summarize(plainMs),
      bareNodeMs: summarize(bareMs),
      ackTransportMs: figure('ackMs'),
      workerSteps: {
        importAdapterMs: figure('importAdapterMs'),
        importAppMs: figure('importAppMs'),
        adoptMs: figure('adoptMs'),
      },
      samples: { ackMs, plainMs, bareMs },
    };
    results.push(result);
    log(
      `  startup ${framework}: spawn→ACK ${result.spawnToAckMs.median.toFixed(1)} ms, plain ${result.plainStartupMs.median.toFixed(1)} ms, ` +
        `node -e 0 ${result.bareNodeMs.median.toFixed(1)} ms, ack() ${result.ackTransportMs.median.toFixed(2)} ms`,
    );
  }
  return results;
}
