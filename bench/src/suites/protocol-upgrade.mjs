// B5 for long-lived protocols: a smooth upgrade of einhorn-node -m manual -n 2 running the
// websocket example (ws echo, drained with 1001) and the http2 example (TLS and h2c, drained
// with GOAWAY), under clients that follow each protocol (bench/src/load/ws-load.mjs,
// h2-load.mjs), against controls that drain without the protocol's goodbye. Per upgrade:
// WebSocket messages lost / duplicated / resent and close codes; HTTP/2 streams failed and
// refused-then-retried. (h2load is not used: it never reconnects after a GOAWAY.)
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import process from 'node:process';
import { connectEinhorn } from '@einhorn/client';
import { readState } from '../lib/einhorn-client.mjs';
import { sleep } from '../lib/stats.mjs';
import { h2Load } from '../load/h2-load.mjs';
import { lostAndDuplicated, wsLoad } from '../load/ws-load.mjs';

export const PROTOCOL_VARIANTS = {
  websocket: { kind: 'ws', worker: ['examples/websocket/dist/server.js'], label: 'ws example' },
  'websocket-control': {
    kind: 'ws',
    worker: ['test/fixtures/ws-echo-no-goodbye.mjs'],
    label: 'control: ws sockets destroyed on drain (no 1001)',
  },
  'http2-tls': { kind: 'h2', scheme: 'https', worker: ['examples/http2/dist/server.js'] },
  'http2-h2c': { kind: 'h2', scheme: 'http', worker: ['examples/http2/dist/server.js', '--h2c'] },
  'http2-control': {
    kind: 'h2',
    scheme: 'http',
    worker: ['test/fixtures/http2-naive.mjs', 'exit'],
    label: 'control: http2 worker exits on SIGUSR2 without draining',
  },
};

const REPO = join(import.meta.dirname, '../../..');
const CLI = join(REPO, 'packages/master/dist/cli.cjs');

async function waitFor(predicate, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(50);
  }
}

async function ackedPids(socketPath) {
  const client = await connectEinhorn({ path: socketPath, timeoutMs: 10_000 });
  try {
    const state = await readState(client);
    return {
      pids: Object.values(state.children)
        .filter((child) => child.acked)
        .map((child) => child.pid),
      port: state.bound_ports[0],
    };
  } finally {
    await client.close();
  }
}

/** One master, one upgrade under load; returns the figures of that upgrade. */
async function oneUpgrade(spec, { node, root, rep, variant }) {
  const socketPath = join(root, `proto-${variant}-${rep}.sock`);
  const master = spawn(
    node,
    [CLI, '-b', '127.0.0.1:0', '-m', 'manual', '-n', '2', '-d', socketPath, '--', node].concat(
      spec.worker.map((part, i) => (i === 0 ? join(REPO, part) : part)),
    ),
    { cwd: root, stdio: ['ignore', 'ignore', 'ignore'] },
  );
  const exited = new Promise((resolve) => master.once('exit', resolve));
  try {
    let before;
    await waitFor(async () => {
      before = await ackedPids(socketPath).catch(() => ({ pids: [] }));
      return before.pids.length === 2;
    }, 30_000);
    const load =
      spec.kind === 'ws'
        ? wsLoad(`ws://127.0.0.1:${before.port}/`, 8)
        : h2Load(`${spec.scheme}://127.0.0.1:${before.port}`);
    await waitFor(() => load.pids.length > 200, 30_000);
    const started = Date.now();
    const client = await connectEinhorn({ path: socketPath, timeoutMs: 60_000 });
    await client.request('upgrade');
    await client.close();
    await waitFor(async () => {
      const now = await ackedPids(socketPath);
      return now.pids.length === 2 && now.pids.every((pid) => !before.pids.includes(pid));
    }, 60_000);
    await waitFor(
      () =>
        before.pids.every((pid) => {
          try {
            process.kill(pid, 0);
            return false;
          } catch {
            return true;
          }
        }),
      60_000,
    );
    const drainMs = Date.now() - started;
    const served = load.pids.length;
    await waitFor(() => load.pids.length > served + 200, 30_000);
    if (spec.kind === 'ws') {
      const reports = await load.stop();
      const codes = {};
      let lost = 0;
      let duplicated = 0;
      for (const report of reports) {
        const counts = lostAndDuplicated(report);
        lost += counts.lost.length;
        duplicated += counts.duplicated.length;
        for (const code of report.closeCodes) codes[code] = (codes[code] ?? 0) + 1;
      }
      return {
        drainMs,
        messages: reports.reduce((sum, report) => sum + report.sent, 0),
        lost,
        duplicated,
        resent: reports.reduce((sum, report) => sum + report.resent, 0),
        closeCodes: codes,
        errors: reports.flatMap((report) => report.errors).length,
      };
    }
    await load.stop();
    return {
      drainMs,
      streams: load.pids.length + load.failures.length,
      failed: load.failures.length,
      refusedAndRetried: load.refused.length,
    };
  } finally {
    master.kill('SIGTERM');
    await exited;
  }
}

/** Runs `plan.reps` upgrades of each variant in `plan.variants`. */
export async function runProtocolUpgrades(plan, { node, root, log }) {
  const runs = [];
  for (let rep = 0; rep < plan.reps; rep++) {
    for (const variant of plan.variants) {
      const spec = PROTOCOL_VARIANTS[variant];
      const result = await oneUpgrade(spec, { node, root, rep, variant });
      runs.push({ variant, rep, ...result });
      const figures =
        spec.kind === 'ws'
          ? `messages ${result.messages}, lost ${result.lost}, duplicated ${result.duplicated}, resent ${result.resent}, close codes ${JSON.stringify(result.closeCodes)}`
          : `streams ${result.streams}, failed ${result.failed}, refused+retried ${result.refusedAndRetried}`;
      log(
        `  protocol upgrade ${variant.padEnd(17)} rep ${rep + 1}/${plan.reps}: ${figures}; old gone after ${result.drainMs} ms`,
      );
    }
  }
  return { workers: 2, runs };
}
