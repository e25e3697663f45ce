// Node `cluster` primary: N workers running port-server.mjs with round-robin or SCHED_NONE.
// JSON lines on stdout: `ready`, `respawned` (a dead worker replaced after --respawn-delay-ms,
// like einhorn's spawn pacing) and `restart-done` for SIGHUP: a rolling restart (fork new →
// listening → old.disconnect(), cluster's documented way) or a naive one (kill old, then fork).
import cluster from 'node:cluster';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { fail, parseArgs } from './args.mjs';

const args = parseArgs();
const count = Number(args.workers ?? 2);
const respawnDelayMs = Number(args['respawn-delay-ms'] ?? 1000);
cluster.schedulingPolicy = args.policy === 'none' ? cluster.SCHED_NONE : cluster.SCHED_RR;
cluster.setupPrimary({
  exec: fileURLToPath(new URL('./port-server.mjs', import.meta.url)),
  args: ['--framework', args.framework, '--port', String(args.port)],
});

const alive = new Set();
const retiring = new Set();
let stopping = false;
const emit = (event) => process.stdout.write(`${JSON.stringify(event)}\n`);

async function forkListening() {
  const worker = cluster.fork();
  alive.add(worker);
  await once(worker, 'listening');
  return worker;
}

async function restart(mode) {
  const started = performance.now();
  const old = [...alive];
  const exits = [];
  for (const worker of old) {
    retiring.add(worker);
    const exited = once(worker, 'exit');
    exits.push(exited);
    if (mode === 'naive') {
      worker.process.kill('SIGTERM');
      await exited;
      await forkListening();
    } else {
      await forkListening();
      worker.disconnect();
    }
  }
  await Promise.all(exits);
  emit({
    event: 'restart-done',
    ms: performance.now() - started,
    old: old.map((w) => w.process.pid),
  });
}

cluster.on('exit', (worker) => {
  alive.delete(worker);
  if (stopping && alive.size === 0) process.exit(0);
  if (retiring.delete(worker) || stopping) return;
  setTimeout(() => {
    if (stopping) return;
    forkListening().then((next) => emit({ event: 'respawned', pid: next.process.pid }), fail);
  }, respawnDelayMs);
});

process.on('SIGHUP', () => {
  restart(args.restart === 'naive' ? 'naive' : 'rolling').catch(fail);
});
process.on('SIGTERM', () => {
  stopping = true;
  if (alive.size === 0) process.exit(0);
  for (const worker of alive) worker.process.kill('SIGTERM');
});

try {
  const workers = await Promise.all(Array.from({ length: count }, forkListening));
  emit({ event: 'ready', pids: workers.map((worker) => worker.process.pid) });
} catch (error) {
  fail(error);
}
