// B7: refused connections (ECONNREFUSED) seen by a probe that connects every 1 ms from before the
// master starts, and every 10 ms once a connection succeeded, through a zero-worker window (the
// only worker SIGKILLed, its replacement held back by the respawn pacing). Our master runs
// in-process so that its steps are timestamps on the probe's clock: start() called; bind(), the
// instant the master's helper bound the socket (published on the `einhorn:master:listening`
// diagnostics channel; wall-clock times agree across processes on one host). Node cluster round-robin with the same
// zero-worker window is the reference: it shows that the probe does see refusals.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createMaster, MASTER_CHANNELS } from '@einhorn/master';
import { JsonLines } from '../lib/json-lines.mjs';
import { freePort } from '../lib/net-utils.mjs';
import { rememberPids, startProcess } from '../lib/processes.mjs';
import { sleep } from '../lib/stats.mjs';
import { startTopology } from '../topologies/index.mjs';
import { SERVERS } from '../topologies/paths.mjs';

const PROBE = fileURLToPath(new URL('../load/connect-probe.mjs', import.meta.url));
const RESPAWN_PACING_MS = 1500;
const wallNow = () => performance.timeOrigin + performance.now();

async function startProbe(node, port) {
  const probe = startProcess(
    node,
    [PROBE, '--port', String(port), '--fast-ms', '1', '--slow-ms', '10'],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const lines = new JsonLines(probe.stdout);
  await lines.waitFor((line) => line.probe === 'started');
  return {
    async finish() {
      probe.stdin.end();
      const done = await lines.waitFor((line) => line.probe === 'done', { timeoutMs: 40_000 });
      await probe.exited;
      return done.attempts;
    },
  };
}

function tally(attempts, from, to = Infinity) {
  const inWindow = attempts.filter(([t]) => t >= from && t <= to);
  const count = (outcome) => inWindow.filter(([, o]) => o === outcome).length;
  return {
    attempts: inWindow.length,
    refused: count('refused'),
    served: count('served'),
    failed: inWindow.length - count('refused') - count('served'),
  };
}

async function ourMaster({ node, root }) {
  const dir = mkdtempSync(join(root, 'refusal-einhorn-'));
  const port = await freePort();
  const probe = await startProbe(node, port);
  const master = createMaster({
    command: node,
    args: [SERVERS.sdkWorker, '--framework', 'http'],
    bind: [`127.0.0.1:${port}`],
    workers: 1,
    backlog: 1024,
    ack: { mode: 'manual' },
    commandSocketPath: join(dir, 'einhorn.sock'),
    respawnBackoff: { minMs: RESPAWN_PACING_MS },
  });
  master.on('worker:spawn', (worker) => rememberPids([worker.pid]));
  let bound;
  const onListening = ({ at }) => (bound ??= at);
  subscribe(MASTER_CHANNELS.listening, onListening);
  try {
    const acked = once(master, 'worker:ack');
    const startCalled = wallNow();
    await master.start();
    const started = wallNow();
    unsubscribe(MASTER_CHANNELS.listening, onListening);
    await acked;
    await sleep(300);
    const [victim] = master.state.workers;
    const exited = once(master, 'worker:exit');
    process.kill(victim.pid, 'SIGKILL');
    await exited;
    const zeroFrom = wallNow();
    await once(master, 'worker:ack');
    const zeroTo = wallNow();
    await sleep(300);
    const attempts = await probe.finish();
    const firstServed = attempts.find(([, outcome]) => outcome === 'served');
    return {
      fromStart: tally(attempts, startCalled),
      fromBind: tally(attempts, bound),
      bindToStartedMs: started - bound,
      startToBindMs: bound - startCalled,
      firstServedAfterStartMs: firstServed ? firstServed[0] - startCalled : Number.NaN,
      zeroWorkers: { ...tally(attempts, zeroFrom, zeroTo), windowMs: zeroTo - zeroFrom },
    };
  } finally {
    unsubscribe(MASTER_CHANNELS.listening, onListening);
    await master.stop({ signal: 'SIGTERM', timeoutMs: 5000 });
  }
}

async function clusterReference({ node, root }) {
  const topology = await startTopology('cluster-rr', {
    framework: 'http',
    workers: 1,
    node,
    root,
    respawnDelayMs: RESPAWN_PACING_MS,
  });
  try {
    const probe = await startProbe(node, topology.port);
    await sleep(300);
    const [victim] = topology.workerPids();
    const from = topology.events.lines.length;
    const zeroFrom = wallNow();
    process.kill(victim, 'SIGKILL');
    await topology.waitReplaced(victim, { from });
    const zeroTo = wallNow();
    await sleep(300);
    const attempts = await probe.finish();
    return { zeroWorkers: { ...tally(attempts, zeroFrom, zeroTo), windowMs: zeroTo - zeroFrom } };
  } finally {
    await topology.stop();
  }
}

/** Both probes; `reps` times for our master. */
export async function runRefusal(plan, context) {
  const einhorn = [];
  for (let rep = 0; rep < plan.reps; rep++) {
    const result = await ourMaster(context);
    einhorn.push(result);
    context.log(
      `  refusal einhorn rep ${rep + 1}/${plan.reps}: ${result.fromBind.refused} refused from bind() on (${result.fromStart.refused} from start()); ` +
        `zero workers ${Math.round(result.zeroWorkers.windowMs)} ms: ${result.zeroWorkers.refused} refused, ${result.zeroWorkers.served} served of ${result.zeroWorkers.attempts}`,
    );
  }
  const cluster = plan.clusterReference ? await clusterReference(context) : undefined;
  if (cluster)
    context.log(
      `  refusal cluster-rr zero workers: ${cluster.zeroWorkers.refused} refused of ${cluster.zeroWorkers.attempts}`,
    );
  return { respawnPacingMs: RESPAWN_PACING_MS, einhorn, cluster };
}
