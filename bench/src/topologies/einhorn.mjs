// Our master (the einhorn-node CLI) with N workers: our adapters (`sdk`) or the bare framework
// with a raw ACK and plain server.close() (`bare`); one shared socket or per-slot `reuseport`.
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  childrenOf,
  connectWhenUp,
  fullyUp,
  readState,
  waitForState,
} from '../lib/einhorn-client.mjs';
import { isAlive } from '../lib/procfs.mjs';
import { rememberPids, startProcess, stopProcess } from '../lib/processes.mjs';
import { liveWorkerPids } from '../lib/stats-dir.mjs';
import { sleep } from '../lib/stats.mjs';
import { SERVERS, masterCli } from './paths.mjs';

export async function startEinhorn({
  framework,
  workers,
  port,
  node,
  dir,
  worker = 'sdk',
  track = false,
  reusePort = false,
  masterArgs = [],
}) {
  const statsDir = join(dir, 'stats');
  mkdirSync(statsDir, { recursive: true });
  const socketPath = join(dir, 'einhorn.sock');
  const log = openSync(join(dir, 'master.log'), 'a');
  const bind = `127.0.0.1:${port}${reusePort ? ',reuseport' : ''}`;
  const files = ['-d', socketPath, '-e', join(dir, 'einhorn.pid'), '-f', join(dir, 'einhorn.lock')];
  const program = [
    node,
    worker === 'sdk' ? SERVERS.sdkWorker : SERVERS.bareWorker,
    '--framework',
    framework,
    ...(track ? ['--track'] : []),
  ];
  const child = startProcess(
    node,
    [
      masterCli(),
      '-b',
      bind,
      '-n',
      String(workers),
      '-m',
      'manual',
      ...files,
      '--log-format',
      'json',
      ...masterArgs,
      '--',
      ...program,
    ],
    { stdio: ['ignore', log, log], env: { ...process.env, BENCH_STATS_DIR: statsDir } },
  );
  closeSync(log);
  const client = await connectWhenUp(socketPath);
  const state = await waitForState(client, fullyUp(workers));
  rememberPids(childrenOf(state).map((c) => c.pid));

  const workerPids = () => liveWorkerPids(statsDir);
  return {
    port,
    statsDir,
    socketPath,
    launcherPid: child.pid,
    workerPids,
    serverPids: () => [child.pid, ...workerPids()],
    state: () => readState(client),
    /** Smooth upgrade through the command socket; resolves when every new worker ACKed. */
    async upgrade() {
      const old = childrenOf(await readState(client)).map((c) => c.pid);
      const started = performance.now();
      const replies = await client.request('upgrade');
      const ms = performance.now() - started;
      const after = await waitForState(client, fullyUp(workers, old));
      rememberPids(childrenOf(after).map((c) => c.pid));
      return { ms, oldPids: old, lastReply: replies.at(-1)?.message ?? '' };
    },
    /** Resolves once `count` ACKed workers run and `victim` is not one of them. */
    async waitReplaced(victim) {
      const state = await waitForState(client, fullyUp(workers, [victim]));
      rememberPids(childrenOf(state).map((c) => c.pid));
    },
    async stop() {
      const pids = childrenOf(await readState(client).catch(() => ({ children: {} }))).map(
        (c) => c.pid,
      );
      await client.close();
      await stopProcess(child, { signal: 'SIGTERM', timeoutMs: 10_000 });
      for (let i = 0; i < 100 && pids.some(isAlive); i++) await sleep(50);
      for (const pid of pids.filter(isAlive)) process.kill(pid, 'SIGKILL');
    },
  };
}
