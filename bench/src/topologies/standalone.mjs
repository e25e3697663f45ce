// Processes with no master at all: one single process, or N processes that each listen with
// `reusePort: true` on the same port (Node ≥ 22.12 / 23.1) and let the kernel spread connections.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startProcess, stopProcess } from '../lib/processes.mjs';
import { SERVERS } from './paths.mjs';

export async function startStandalone({ framework, workers, port, node, dir, reusePort }) {
  const statsDir = join(dir, 'stats');
  mkdirSync(statsDir, { recursive: true });
  const count = reusePort ? workers : 1;
  const args = [SERVERS.port, '--framework', framework, '--port', String(port), '--announce'];
  if (reusePort) args.push('--reuse-port');
  const children = [];
  for (let i = 0; i < count; i++) {
    const child = startProcess(node, args, {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, BENCH_STATS_DIR: statsDir },
    });
    children.push(child);
  }
  await Promise.all(children.map((child) => waitListening(child)));
  const pids = children.map((child) => child.pid);
  return {
    port,
    statsDir,
    launcherPid: undefined,
    workerPids: () => pids.filter((_, i) => children[i].exitCode === null),
    serverPids: () => pids.filter((_, i) => children[i].exitCode === null),
    async stop() {
      await Promise.all(
        children.map((child) => stopProcess(child, { signal: 'SIGTERM', timeoutMs: 5000 })),
      );
    },
  };
}

function waitListening(child) {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(
      () => reject(new Error('A standalone server did not listen within 30 s.')),
      30_000,
    );
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      text += chunk;
      if (!text.includes('listening')) return;
      clearTimeout(timer);
      resolve();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`A standalone server exited with ${code} before listening.`));
    });
  });
}
