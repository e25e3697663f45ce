// Chaos upgrades: consecutive smooth upgrades of a real einhorn-node master under continuous HTTP
// load, with workers that start slowly, crash before ACKing, hang on shutdown or exit with
// requests in flight (test/fixtures/reliability/http-worker.mjs). Shared by
// chaos-upgrade.test.ts (a few upgrades) and scripts/chaos-upgrades.mjs (20).
import { connectEinhorn } from '@einhorn/client';
import { httpGet, isAlive, startMaster } from './master-process.ts';
import type { RunningMaster, WorkerEvent } from './master-process.ts';
import { rssBytes } from './fuzz-runner.ts';

export interface ChaosOptions {
  readonly upgrades: number;
  /** -n */
  readonly workers: number;
  /** Concurrent HTTP clients, each with one request in flight, a fresh connection each. */
  readonly concurrency: number;
  /** Percentages of workers with each behaviour (see http-worker.mjs). */
  readonly slowStartPct: number;
  readonly crashBeforeAckPct: number;
  readonly hangOnShutdownPct: number;
  readonly exitMidRequestPct: number;
  /** Each response is delayed this long, so that workers have requests in flight when told to go. */
  readonly responseDelayMs: number;
  /** -t: SIGKILL a worker this long after the graceful signal. */
  readonly signalTimeoutSeconds: number;
  readonly onUpgrade?: (index: number, ms: number) => void;
}

export interface ChaosFigures {
  readonly upgradesCompleted: number;
  readonly finalVersion: number;
  readonly upgradeMs: readonly number[];
  readonly requests: {
    readonly ok: number;
    readonly failed: number;
    readonly refused: number;
    readonly errors: Readonly<Record<string, number>>;
  };
  readonly workers: {
    readonly spawned: number;
    readonly slowStarts: number;
    readonly crashedBeforeAck: number;
    readonly hungOnShutdownKilled: number;
    readonly exitedMidRequest: number;
  };
  /** Requests that may be lost: those in flight in a worker that exits mid-request or is SIGKILLed. */
  readonly lossBound: number;
  readonly leftoverOldWorkers: readonly number[];
  readonly masterRssMiB: number;
}

function chaosOf(events: readonly WorkerEvent[], pid: number): Record<string, boolean> {
  const start = events.find((event) => event.pid === pid && event.event === 'start');
  return (start?.['chaos'] ?? {}) as Record<string, boolean>;
}

/** Continuous load until `stop()`; one request in flight per client. */
function startLoad(
  port: number,
  concurrency: number,
): { stop(): Promise<ChaosFigures['requests']> } {
  let running = true;
  const tally = {
    ok: 0,
    failed: 0,
    refused: 0,
    errors: {} as Record<string, number>,
  };
  const client = async (): Promise<void> => {
    while (running) {
      try {
        await httpGet(port, 20_000);
        tally.ok += 1;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
        tally.errors[code] = (tally.errors[code] ?? 0) + 1;
        if (code === 'ECONNREFUSED') tally.refused += 1;
        else tally.failed += 1;
      }
    }
  };
  const clients = Array.from({ length: concurrency }, client);
  return {
    async stop() {
      running = false;
      await Promise.all(clients);
      return tally;
    },
  };
}

async function upgradeOnce(master: RunningMaster): Promise<void> {
  const client = await connectEinhorn({
    path: master.socketPath,
    timeoutMs: 120_000,
  });
  try {
    const replies = await client.request('upgrade');
    const last = replies.at(-1)?.message;
    if (last !== 'Upgrade done')
      throw new Error(
        `upgrade ended with ${JSON.stringify(last)}:\n${master.stderr().slice(-3000)}`,
      );
  } finally {
    await client.close();
  }
}

/** Runs the chaos scenario and returns its figures; the master is destroyed at the end. */
export async function runChaos(options: ChaosOptions): Promise<ChaosFigures> {
  const master = await startMaster({
    workers: options.workers,
    args: [
      '-t',
      String(options.signalTimeoutSeconds),
      '-s',
      '0.1',
      '--max-unacked',
      String(options.workers),
    ],
    env: {
      CHAOS_SLOW_START_PCT: String(options.slowStartPct),
      CHAOS_SLOW_START_MS: '1000',
      CHAOS_CRASH_BEFORE_ACK_PCT: String(options.crashBeforeAckPct),
      CHAOS_HANG_ON_SHUTDOWN_PCT: String(options.hangOnShutdownPct),
      CHAOS_EXIT_MID_REQUEST_PCT: String(options.exitMidRequestPct),
      RESPONSE_DELAY_MS: String(options.responseDelayMs),
    },
  });
  try {
    const initial = await master.state();
    const port = initial.bound_ports[0] ?? 0;
    const load = startLoad(port, options.concurrency);
    const upgradeMs: number[] = [];
    let requests: ChaosFigures['requests'];
    try {
      for (let i = 0; i < options.upgrades; i++) {
        const started = performance.now();
        await upgradeOnce(master);
        upgradeMs.push(performance.now() - started);
        options.onUpgrade?.(i + 1, upgradeMs.at(-1) ?? 0);
      }
    } finally {
      requests = await load.stop();
    }
    const finalVersion = initial.version + options.upgrades;
    // Every worker of an older version must be gone (drained, or SIGKILLed after -t).
    const final = await master.waitForState((state) => {
      const children = Object.values(state.children);
      return (
        state.version === finalVersion &&
        children.length === options.workers &&
        children.every((child) => child.version === finalVersion && child.acked)
      );
    }, 60_000);
    const current = new Set(Object.keys(final.children).map(Number));
    const events = master.events();
    const pids = [
      ...new Set(events.filter((event) => event.event === 'start').map((event) => event.pid)),
    ];
    const signalled = new Set(
      events.filter((event) => event.event === 'signal').map((event) => event.pid),
    );
    const leftovers = (): number[] => pids.filter((pid) => !current.has(pid) && isAlive(pid));
    await master
      .waitForState(() => leftovers().length === 0, options.signalTimeoutSeconds * 1000 + 30_000)
      .catch(() => undefined);
    const hung = pids.filter(
      (pid) =>
        chaosOf(events, pid)['hangOnShutdown'] === true && signalled.has(pid) && !isAlive(pid),
    ).length;
    const exitedMid = pids.filter(
      (pid) => chaosOf(events, pid)['exitMidRequest'] === true && signalled.has(pid),
    ).length;
    return {
      upgradesCompleted: upgradeMs.length,
      finalVersion: final.version,
      upgradeMs,
      requests,
      workers: {
        spawned: pids.length,
        slowStarts: pids.filter((pid) => chaosOf(events, pid)['slowStart'] === true).length,
        crashedBeforeAck: events.filter((event) => event.event === 'crash-before-ack').length,
        hungOnShutdownKilled: hung,
        exitedMidRequest: exitedMid,
      },
      lossBound: (hung + exitedMid) * options.concurrency,
      leftoverOldWorkers: leftovers(),
      masterRssMiB: Number((rssBytes(master.pid) / 2 ** 20).toFixed(1)),
    };
  } finally {
    await master.destroy();
  }
}
