// B9: what our master costs while its workers run: CPU and RSS of the master process over an idle
// window (Node cluster's primary in the same window as the reference), and the `state` round trip
// over the command socket with the command client: sequential requests, timed after 1000 warm-up
// requests of the same kind. V8 tiers the code up in both processes during the first ~700 (the
// slow requests fall on the same request numbers run after run); the warm-up's own latency is
// reported too.
import { once } from 'node:events';
import { connect } from 'node:net';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { connectEinhorn } from '@einhorn/client';
import { cpuSeconds, rssBytes } from '../lib/procfs.mjs';
import { startProcess, stopProcess } from '../lib/processes.mjs';
import { percentile, sleep } from '../lib/stats.mjs';
import { startTopology } from '../topologies/index.mjs';

const BENCH_DIR = fileURLToPath(new URL('../..', import.meta.url));
const WARM_UP_REQUESTS = 1000;

async function timedRequests(client, command, count) {
  const samples = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await client.request(command);
    samples.push(performance.now() - started);
  }
  return samples;
}

async function roundTrips(socketPath, command, count) {
  const client = await connectEinhorn({ path: socketPath });
  try {
    const warmUp = await timedRequests(client, command, WARM_UP_REQUESTS);
    return { warmUp, samples: await timedRequests(client, command, count) };
  } finally {
    await client.close();
  }
}

// One request as the Ruby einhornsh writes it (escaped block YAML): the first YAML line makes the
// master load its YAML parser, which JSON requests never need.
async function yamlRequest(socketPath) {
  const socket = connect(socketPath);
  await once(socket, 'connect');
  socket.end('---%0Acommand: ehlo%0Auser: bench%0A\n');
  socket.resume();
  await once(socket, 'close');
}

const latency = (samples) => ({
  p50: percentile(samples, 50),
  p99: percentile(samples, 99),
  max: Math.max(...samples),
  n: samples.length,
});

export async function runMasterCost(plan, { node, root, log }) {
  const options = { framework: 'http', workers: plan.workers, node, root };
  const einhorn = await startTopology('einhorn-shared', options);
  const cluster = await startTopology('cluster-rr', options);
  // An idle `node` with an empty event loop kept alive: the floor any Node master pays.
  const idleNode = startProcess(node, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  // The same, having only imported the master package: what loading its code (zod, yaml, …) costs.
  const importOnly = startProcess(
    node,
    ['--input-type=module', '-e', "await import('@einhorn/master'); setInterval(() => {}, 1000);"],
    { stdio: 'ignore', cwd: BENCH_DIR },
  );
  let referencesStopped;
  const stopReferences = () =>
    (referencesStopped ??= Promise.all([
      stopProcess(idleNode),
      stopProcess(importOnly),
      cluster.stop(),
    ]));
  try {
    await sleep(500);
    const pids = { einhorn: einhorn.launcherPid, cluster: cluster.launcherPid };
    const before = { einhorn: cpuSeconds(pids.einhorn), cluster: cpuSeconds(pids.cluster) };
    const started = performance.now();
    await sleep(plan.idleMs);
    const seconds = (performance.now() - started) / 1000;
    const cpu = (key) => cpuSeconds(pids[key]) - before[key];
    const result = {
      idleSeconds: seconds,
      masterCpuSeconds: cpu('einhorn'),
      masterRssBytes: rssBytes(pids.einhorn),
      primaryCpuSeconds: cpu('cluster'),
      primaryRssBytes: rssBytes(pids.cluster),
      idleNodeRssBytes: rssBytes(idleNode.pid),
      importOnlyRssBytes: rssBytes(importOnly.pid),
    };
    // The references are only for the idle window: the round trips run without them.
    await stopReferences();
    const state = await roundTrips(einhorn.socketPath, 'state', plan.stateRequests);
    // `ehlo` (a one-line reply) separates the transport from building and parsing `state`.
    const ehlo = await roundTrips(einhorn.socketPath, 'ehlo', plan.stateRequests);
    Object.assign(result, {
      warmUpRequests: WARM_UP_REQUESTS,
      stateRoundTripMs: latency(state.samples),
      stateWarmUpRoundTripMs: latency(state.warmUp),
      ehloRoundTripMs: latency(ehlo.samples),
      masterRssAfterStateBytes: rssBytes(pids.einhorn),
    });
    await yamlRequest(einhorn.socketPath);
    result.masterRssAfterYamlBytes = rssBytes(pids.einhorn);
    log(
      `  master cost: idle CPU ${result.masterCpuSeconds.toFixed(2)} s in ${seconds.toFixed(1)} s, RSS ${(result.masterRssBytes / 2 ** 20).toFixed(1)} MiB ` +
        `(cluster primary ${(result.primaryRssBytes / 2 ** 20).toFixed(1)} MiB, idle node ${(result.idleNodeRssBytes / 2 ** 20).toFixed(1)} MiB); state p50 ${result.stateRoundTripMs.p50.toFixed(3)} ms, p99 ${result.stateRoundTripMs.p99.toFixed(3)} ms`,
    );
    return result;
  } finally {
    await stopReferences();
    await einhorn.stop();
  }
}
