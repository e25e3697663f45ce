// The topologies compared, by id: how to start each, its label, and which Node versions have it.
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../lib/net-utils.mjs';
import { sleep } from '../lib/stats.mjs';
import { startCluster } from './cluster.mjs';
import { startEinhorn } from './einhorn.mjs';
import { startStandalone } from './standalone.mjs';

/** SO_REUSEPORT from Node: `listen({ reusePort })` and libuv's UV_TCP_REUSEPORT (22.12 / 23.1). */
export function hasReusePort(version) {
  const [major, minor] = version.split('.').map(Number);
  return major > 23 || (major === 23 && minor >= 1) || (major === 22 && minor >= 12);
}

export const TOPOLOGIES = {
  'einhorn-shared': {
    label: 'einhorn-node + adapter, shared socket',
    start: (o) => startEinhorn({ ...o, worker: 'sdk' }),
  },
  'einhorn-slots': {
    label: 'einhorn-node + adapter, per-slot reuseport',
    minWorkers: 2,
    needsReusePort: true,
    start: (o) => startEinhorn({ ...o, worker: 'sdk', reusePort: true }),
  },
  'einhorn-bare': {
    label: 'einhorn-node + bare framework (no SDK)',
    start: (o) => startEinhorn({ ...o, worker: 'bare' }),
  },
  'einhorn-tracked': {
    label: 'einhorn-node + bare framework + trackConnections() only',
    start: (o) => startEinhorn({ ...o, worker: 'bare', track: true }),
  },
  'cluster-rr': {
    label: 'Node cluster round-robin',
    start: (o) => startCluster({ ...o, policy: 'rr' }),
  },
  'cluster-none': {
    label: 'Node cluster SCHED_NONE',
    start: (o) => startCluster({ ...o, policy: 'none' }),
  },
  single: {
    label: 'single process',
    single: true,
    start: (o) => startStandalone({ ...o, reusePort: false }),
  },
  reuseport: {
    label: 'reusePort per worker (no master)',
    minWorkers: 2,
    needsReusePort: true,
    start: (o) => startStandalone({ ...o, reusePort: true }),
  },
};

/** Why `id` cannot run with `workers` on Node `version`, or undefined when it can. */
export function unsupported(id, workers, version) {
  const topology = TOPOLOGIES[id];
  if (topology.minWorkers && workers < topology.minWorkers)
    return `needs ≥ ${topology.minWorkers} workers`;
  if (topology.needsReusePort && !hasReusePort(version))
    return `Node ${version} has no SO_REUSEPORT (needs ≥ 22.12)`;
  return undefined;
}

/** Starts topology `id` on a fresh port in a fresh directory under `root`. */
export async function startTopology(id, { framework, workers, node, root, ...rest }) {
  const dir = mkdtempSync(join(root, `${id}-${framework}-${workers}-`));
  const port = await freePort();
  const handle = await TOPOLOGIES[id].start({ framework, workers, node, dir, port, ...rest });
  const count = TOPOLOGIES[id].single ? 1 : workers;
  await waitUntil(() => handle.workerPids().length === count, `${id}: ${count} ready workers`);
  return { id, framework, workers: count, dir, ...handle };
}

/** Polls `condition` every 20 ms; rejects after `timeoutMs` naming `what`. */
export async function waitUntil(condition, what, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await sleep(20);
  }
}
