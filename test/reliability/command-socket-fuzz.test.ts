// Fuzzes the REAL command socket with hostile lines: first the built startCommandServer in a
// fixture process, then a real einhorn-node master with a real HTTP worker. A seeded sample runs
// here; `node scripts/fuzz-command-socket.mjs` runs ≥ 10 000 lines and prints figures.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseEnv, spawnFixture } from '../helpers/spawn-fixture.ts';
import type { FixtureProcess } from '../helpers/spawn-fixture.ts';
import {
  CAPPED_HEAP_NODE_OPTIONS,
  emptyStats,
  queryState,
  rssBytes,
  runBatch,
} from './fuzz-runner.ts';
import type { FuzzStats } from './fuzz-runner.ts';
import { holdConnections, pipelinedClient } from './held-connections.ts';
import { hostileProbe } from './hostile-lines.ts';
import type { Probe } from './hostile-lines.ts';
import {
  KNOWN_KILLERS as KILLERS,
  hugeLine,
  textLine as text,
  wholeProbe,
} from './known-killers.ts';
import { httpGet, startMaster } from './master-process.ts';
import type { RunningMaster } from './master-process.ts';
import { runProbe } from './probe-client.ts';

const SEED = Number(process.env['EINHORN_FUZZ_SEED'] ?? 52);
const PROBES = Number(process.env['EINHORN_FUZZ_PROBES'] ?? 300);
const MIB = 1024 * 1024;
/** The master's own line limit (the fixture server above keeps the 1 MiB default). */
const MASTER_MAX_LINE_BYTES = 64 * 1024;
// A correctness bound (nothing retained per request), not a timing one; measured with the heap
// capped (CAPPED_HEAP_NODE_OPTIONS), where RSS growth means retention rather than GC policy.
const RSS_GROWTH_BOUND = 64 * MIB;
const TIMEOUT_MS = 30_000;
const SERVER = join(import.meta.dirname, '../fixtures/reliability/command-server.mjs');

function expectClean(stats: FuzzStats): void {
  expect(stats.failures.slice(0, 5), `first failures (of ${stats.failures.length})`).toEqual([]);
}

describe('command socket fuzzing: the built startCommandServer in its own process', () => {
  let dir: string;
  let path: string;
  let server: FixtureProcess;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'einhorn-fuzz-'));
    path = join(dir, 'einhorn.sock');
    server = await spawnFixture(SERVER, {
      args: [path],
      readyLine: /^ready /,
      env: baseEnv({ NODE_OPTIONS: CAPPED_HEAP_NODE_OPTIONS }),
    });
  });

  afterAll(async () => {
    await server.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  async function expectHealthy(): Promise<Record<string, unknown>> {
    const state = await queryState(path);
    expect(state['master_pid']).toBe(server.pid);
    expect(state['prototypeClean']).toBe(true);
    expect(server.child.exitCode, server.output.describe()).toBeNull();
    return state;
  }

  it('check 52 / P3 / P19: every line that kills or stalls the real einhorn gets an answer or a close, and the server survives', async () => {
    const stats = emptyStats();
    await runBatch(path, KILLERS, {
      concurrency: 1,
      maxLineBytes: MIB,
      timeoutMs: TIMEOUT_MS,
      stats,
    });
    expectClean(stats);
    expect(stats.closedOversize).toBe(1);
    expect(stats.answered).toBe(KILLERS.length - 1);
    await expectHealthy();
  });

  it(`a seeded sample of ${PROBES} hostile probes, while 900 idle and 24 half-line connections are held: no crash, no hang, bounded memory`, async () => {
    const held = await holdConnections(path, 900, 24);
    const probes = fc.sample(
      hostileProbe({ target: 'fixture', maxLineBytes: MIB, hugeWeight: 0 }),
      { seed: SEED, numRuns: PROBES },
    );
    const warmup = emptyStats();
    await runBatch(path, probes.slice(0, 20), {
      concurrency: 6,
      maxLineBytes: MIB,
      timeoutMs: TIMEOUT_MS,
      stats: warmup,
    });
    const before = rssBytes(server.pid);
    const stats = emptyStats();
    await runBatch(path, probes, {
      concurrency: 6,
      maxLineBytes: MIB,
      timeoutMs: TIMEOUT_MS,
      stats,
    });
    const growth = rssBytes(server.pid) - before;
    expectClean(warmup);
    expectClean(stats);
    expect(stats.answered + stats.closedAfterWorkerCommand + stats.closedOversize).toBe(PROBES);
    // The generator must reach every pre-dispatch path, or the sample proves little.
    for (const kind of Object.keys(stats.replies) as (keyof FuzzStats['replies'])[])
      expect(stats.replies[kind], kind).toBeGreaterThan(0);
    expect(stats.closedAfterWorkerCommand).toBeGreaterThan(0);
    expect(growth).toBeLessThan(RSS_GROWTH_BOUND);
    expect(await held.finish(TIMEOUT_MS)).toEqual({ answered: 924, closed: 0 });
    const state = await expectHealthy();
    expect((state['events'] as Record<string, number>)['dispatch-error'] ?? 0).toBe(0);
  });

  it('oversize: a line of exactly the limit is answered, one byte more closes only that connection, while another client is served', async () => {
    const huge = (size: number): Probe => wholeProbe(hugeLine(size));
    const stats = emptyStats();
    const bystanders = emptyStats();
    const valid = fc.sample(hostileProbe({ target: 'fixture', maxLineBytes: MIB, hugeWeight: 0 }), {
      seed: SEED + 1,
      numRuns: 40,
    });
    await Promise.all([
      runBatch(path, [huge(MIB), huge(MIB + 1), huge(4 * MIB), huge(MIB - 1)], {
        concurrency: 2,
        maxLineBytes: MIB,
        timeoutMs: TIMEOUT_MS,
        stats,
      }),
      runBatch(path, valid, {
        concurrency: 2,
        maxLineBytes: MIB,
        timeoutMs: TIMEOUT_MS,
        stats: bystanders,
      }),
    ]);
    expectClean(stats);
    expectClean(bystanders);
    expect({ answered: stats.answered, closed: stats.closedOversize }).toEqual({
      answered: 2,
      closed: 2,
    });
    await expectHealthy();
  });

  it('a client pipelining 20 000 requests without reading gets back-pressure, not unbounded buffers, and then every reply in order', async () => {
    const before = rssBytes(server.pid);
    const greedy = await pipelinedClient(path, 20_000);
    // Meanwhile everyone else is served.
    for (let i = 0; i < 20; i++)
      await expect(queryState(path)).resolves.toMatchObject({
        master_pid: server.pid,
      });
    expect(rssBytes(server.pid) - before).toBeLessThan(RSS_GROWTH_BOUND);
    expect(await greedy.readAll(TIMEOUT_MS)).toEqual({
      replies: 20_000,
      inOrder: true,
    });
    await expectHealthy();
  });

  it('a writer trickling one byte per turn and a never-finished line do not delay other clients', async () => {
    const slow: Probe = {
      lines: [text('valid', `{"command":"help","id":"slow","pad":"${'y'.repeat(3000)}"}`)],
      delivery: { kind: 'trickle', step: 1 },
    };
    const slowDone = runProbe(path, slow, {
      sentinelId: 'slow-sentinel',
      maxLineBytes: MIB,
      timeoutMs: TIMEOUT_MS,
    });
    const held = await holdConnections(path, 0, 1);
    for (let i = 0; i < 50; i++)
      await expect(queryState(path)).resolves.toMatchObject({
        master_pid: server.pid,
      });
    expect((await slowDone).kind).toBe('answered');
    expect(await held.finish(TIMEOUT_MS)).toEqual({ answered: 1, closed: 0 });
  });
});

describe('command socket fuzzing: a real einhorn-node master with an HTTP worker', () => {
  let master: RunningMaster;
  let port: number;

  beforeAll(async () => {
    master = await startMaster({
      env: { NODE_OPTIONS: CAPPED_HEAP_NODE_OPTIONS },
    });
    port = (await master.state()).bound_ports[0] ?? 0;
    expect(await httpGet(port)).toMatch(/^ok \d+\n$/);
  });

  afterAll(async () => {
    await master.destroy();
  });

  it(`${Math.ceil(PROBES / 2)} master-safe hostile probes and the check 52 lines: the master still answers state and serves HTTP through its worker`, async () => {
    const probes = fc.sample(
      hostileProbe({ target: 'master', maxLineBytes: MASTER_MAX_LINE_BYTES, hugeWeight: 0 }),
      {
        seed: SEED + 2,
        numRuns: Math.ceil(PROBES / 2),
      },
    );
    const stateBefore = await master.state();
    const before = rssBytes(master.pid);
    const stats = emptyStats();
    const traffic = (async () => {
      let served = 0;
      while (stats.probes < probes.length) {
        await httpGet(port);
        served += 1;
      }
      return served;
    })();
    await runBatch(path(), [...KILLERS, ...probes], {
      concurrency: 4,
      maxLineBytes: MASTER_MAX_LINE_BYTES,
      timeoutMs: TIMEOUT_MS,
      stats,
    });
    const served = await traffic;
    expectClean(stats);
    expect(served).toBeGreaterThan(0);
    expect(rssBytes(master.pid) - before).toBeLessThan(RSS_GROWTH_BOUND);
    const after = await master.state();
    // Nothing the fuzzer sent changed the fleet: same workers, same count, same version.
    expect(Object.keys(after.children)).toEqual(Object.keys(stateBefore.children));
    expect(after.config.number).toBe(stateBefore.config.number);
    expect(after.version).toBe(stateBefore.version);
    expect(await httpGet(port)).toMatch(/^ok \d+\n$/);
    expect(master.child.exitCode, master.stderr()).toBeNull();
  });

  function path(): string {
    return master.socketPath;
  }
});
