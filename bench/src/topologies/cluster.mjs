// Node's own `cluster` module: round-robin (the primary accepts and hands connections over IPC)
// or SCHED_NONE (workers accept on the primary's socket themselves).
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { JsonLines } from '../lib/json-lines.mjs';
import { isAlive } from '../lib/procfs.mjs';
import { rememberPids, startProcess, stopProcess } from '../lib/processes.mjs';
import { liveWorkerPids } from '../lib/stats-dir.mjs';
import { sleep } from '../lib/stats.mjs';
import { SERVERS } from './paths.mjs';

export async function startCluster({
  framework,
  workers,
  port,
  node,
  dir,
  policy,
  restart = 'rolling',
  respawnDelayMs = 1000,
}) {
  const statsDir = join(dir, 'stats');
  mkdirSync(statsDir, { recursive: true });
  const log = openSync(join(dir, 'primary.log'), 'a');
  const child = startProcess(
    node,
    [
      SERVERS.clusterPrimary,
      ...['--framework', framework, '--workers', String(workers), '--policy', policy],
      ...[
        '--port',
        String(port),
        '--restart',
        restart,
        '--respawn-delay-ms',
        String(respawnDelayMs),
      ],
    ],
    { stdio: ['ignore', 'pipe', log], env: { ...process.env, BENCH_STATS_DIR: statsDir } },
  );
  closeSync(log);
  const events = new JsonLines(child.stdout);
  const ready = await events.waitFor((line) => line.event === 'ready');
  rememberPids(ready.pids);
  const workerPids = () => liveWorkerPids(statsDir);
  return {
    port,
    statsDir,
    launcherPid: child.pid,
    workerPids,
    serverPids: () => [child.pid, ...workerPids()],
    /** SIGHUP: rolling (disconnect) or naive (kill, then fork) restart of every worker. */
    async upgrade() {
      const from = events.lines.length;
      child.kill('SIGHUP');
      const done = await events.waitFor((line) => line.event === 'restart-done', {
        from,
        timeoutMs: 60_000,
      });
      rememberPids(workerPids());
      return { ms: done.ms, oldPids: done.old, lastReply: 'restart-done' };
    },
    /** Resolves once the primary replaced a dead worker. */
    async waitReplaced(_victim, { from = 0 } = {}) {
      const line = await events.waitFor((l) => l.event === 'respawned', { from });
      rememberPids([line.pid]);
    },
    events,
    async stop() {
      const pids = workerPids();
      await stopProcess(child, { signal: 'SIGTERM', timeoutMs: 10_000 });
      for (let i = 0; i < 100 && pids.some(isAlive); i++) await sleep(50);
      for (const pid of pids.filter(isAlive)) process.kill(pid, 'SIGKILL');
    },
  };
}
