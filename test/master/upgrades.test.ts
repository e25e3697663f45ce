// Upgrades, surge bounds, backoff and the circuit breaker.
import { unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EinhornReply } from '@einhorn/core';
import { cleanup, jsonLog, launches, spinupReport, startMaster, tempDir, WAIT } from './helpers.ts';
import type { MasterHandle, SpinupReport, StateDoc } from './helpers.ts';

afterEach(cleanup);

const children = (state: StateDoc) => Object.values(state.children);
const allAcked = (n: number) => (s: StateDoc) => children(s).filter((c) => c.acked).length === n;

/**
 * Replays the master's (debug) log of one upgrade and checks the upgrade invariants at every step
 * (checks 35-37).
 */
function replayUpgrade(
  stderr: string,
  options: { n: number; maxUnacked?: number; maxLive?: number },
): { retiredTogether: number[][]; peakLive: number; peakUnacked: number } {
  const live = new Set<number>();
  const old = new Set<number>();
  const newUnacked = new Set<number>();
  const newAcked = new Set<number>();
  let upgrading = false;
  let peakLive = 0;
  let peakUnacked = 0;
  const retiredTogether: number[][] = [];
  for (const { msg } of jsonLog(stderr)) {
    let match: RegExpExecArray | null;
    if (msg.startsWith('Starting smooth upgrade') || msg.startsWith('Starting fleet upgrade')) {
      upgrading = true;
      for (const pid of live) old.add(pid);
    } else if ((match = /^===> Launched (\d+)/.exec(msg))) {
      live.add(Number(match[1]));
      if (upgrading) newUnacked.add(Number(match[1]));
      peakLive = Math.max(peakLive, live.size);
      peakUnacked = Math.max(peakUnacked, newUnacked.size);
    } else if (
      (match =
        /^(?:Received a manual ACK from|Worker) (\d+)(?: has been up for [\d.]+s, so we are considering it alive\.)?$/.exec(
          msg,
        ))
    ) {
      if (newUnacked.delete(Number(match[1]))) newAcked.add(Number(match[1]));
    } else if ((match = /^Sending USR2 to \[([\d, ]+)\]$/.exec(msg))) {
      const pids = match[1]!.split(', ').map(Number);
      const retiring = pids.filter((pid) => old.has(pid));
      if (retiring.length > 0) {
        for (const pid of retiring) old.delete(pid);
        retiredTogether.push(retiring);
        // Each old worker retires only once enough new ones ACKed: old + ackedNew <= N.
        if (!msg.includes('no room'))
          expect(old.size + newAcked.size).toBeLessThanOrEqual(options.n);
      }
    } else if ((match = /^===> Exited worker (\d+)/.exec(msg))) {
      live.delete(Number(match[1]));
    }
  }
  expect(old.size).toBe(0);
  if (options.maxUnacked !== undefined) expect(peakUnacked).toBeLessThanOrEqual(options.maxUnacked);
  if (options.maxLive !== undefined) expect(peakLive).toBeLessThanOrEqual(options.maxLive);
  return { retiredTogether, peakLive, peakUnacked };
}

/** One spawn as the master's log tells it, in order. */
interface Spawn {
  readonly pid: number;
  /** Deaths before ACK the log shows since the last ACK or upgrade start, at the launch. */
  readonly deathsSeen: number;
  /** The master's own account of a gradual spawn; undefined for an immediate one. */
  readonly report: SpinupReport | undefined;
  /** Pids whose exit (before ACK) the log shows before this launch. */
  readonly exitedBefore: ReadonlySet<number>;
}

/**
 * Replays the master's JSON log from `from` (a message prefix; the whole log if undefined): every
 * launch with the backoff report logged just before it, and the deaths before ACK seen so far. The
 * counter restarts at every ACK and at the upgrade start, as einhorn's does (check 40).
 */
function replaySpawns(stderr: string, from?: string): { spawns: Spawn[]; streaksBroken: number[] } {
  const log = jsonLog(stderr).map((line) => line.msg);
  const start = from === undefined ? 0 : log.findIndex((msg) => msg.startsWith(from));
  expect(start, `no log line starting with ${String(from)}`).toBeGreaterThanOrEqual(0);
  const spawns: Spawn[] = [];
  const streaksBroken: number[] = [];
  const exited = new Set<number>();
  let deaths = 0;
  let report: SpinupReport | undefined;
  for (const msg of log.slice(start)) {
    let match: RegExpExecArray | null;
    const spinup = spinupReport(msg);
    if (spinup) {
      report = spinup;
    } else if ((match = /^===> Launched (\d+) /.exec(msg))) {
      spawns.push({
        pid: Number(match[1]),
        deathsSeen: deaths,
        report,
        exitedBefore: new Set(exited),
      });
      report = undefined;
    } else if ((match = /^===> Exited worker (\d+) before it was ACKed$/.exec(msg))) {
      exited.add(Number(match[1]));
      deaths += 1;
    } else if (
      (match =
        /^Up to \d+ \/ \d+ \w+ ACKs(?:, breaking the streak of (\d+) consecutive unacked process deaths)?$/.exec(
          msg,
        ))
    ) {
      streaksBroken.push(Number(match[1] ?? 0));
      deaths = 0;
    }
  }
  return { spawns, streaksBroken };
}

/** What the master reports for a gradual spawn follows its backoff rule: min(s·1.5^K, 30) s. */
function expectBackoff(spawn: Spawn, seconds: number): SpinupReport {
  const report = spawn.report;
  expect(report, `no backoff report before the launch of ${spawn.pid}`).toBeDefined();
  // K is the number of deaths before ACK the master has logged, no more and no fewer.
  expect(report!.deaths).toBe(spawn.deathsSeen);
  expect(report!.intervalS).toBeCloseTo(Math.min(seconds * 1.5 ** report!.deaths, 30), 6);
  // The master spawned only once its own clock said the interval had passed (the report has
  // 3 decimals, hence the half-millisecond).
  expect(report!.sinceLastSpawnS).toBeGreaterThanOrEqual(report!.intervalS - 0.0005);
  return report!;
}

async function manualMaster(
  n: number,
  options: readonly string[] = [],
  env: Record<string, string> = {},
): Promise<{ master: MasterHandle; pids: number[] }> {
  const master = await startMaster({
    options: [
      '-n',
      String(n),
      '-m',
      'manual',
      '-s',
      '0.05',
      '-v',
      '--log-format',
      'json',
      ...options,
    ],
    env: { FIXTURE_ACK: 'manual', ...env },
  });
  const state = await master.waitForState(allAcked(n));
  return { master, pids: children(state).map((c) => c.pid) };
}

describe('upgrades', () => {
  it('check 34: upgrade with id streams wait:true lines and ends with "Upgrade done"; every worker is new', async () => {
    const { master, pids } = await manualMaster(2);
    const client = await master.client();
    const replies = await client.request('upgrade');
    expect(replies[0]).toEqual({
      message: 'Upgrading smoothly, as commanded',
      request_id: 1,
      wait: true,
    });
    for (const reply of replies.slice(0, -1))
      expect(reply).toMatchObject({ request_id: 1, wait: true });
    expect(replies.at(-1)).toEqual({ message: 'Upgrade done', request_id: 1 });
    expect(replies.map((r) => r.message)).toContain('Starting smooth upgrade from version 0...');
    const state = await master.waitForState((s) => children(s).length === 2);
    expect(state.version).toBe(1);
    expect(state.upgrading).toBe(false);
    for (const child of children(state)) expect(child.version).toBe(1);
    for (const pid of pids) expect(String(pid) in state.children).toBe(false);
  });

  it('check 4: new workers never reuse an index held by a live or draining worker; the first new one gets 2', async () => {
    const { master } = await manualMaster(2, [], { FIXTURE_ON_USR2: 'ignore' });
    const client = await master.client();
    await client.request('upgrade');
    const indexes = launches(master.stderr()).map((l) => l.index);
    expect(indexes.slice(0, 3)).toEqual([0, 1, 2]);
    // Old workers ignore USR2 and keep their indexes, so the new ones get 2 and 3.
    expect(indexes).toEqual([0, 1, 2, 3]);
  });

  it('check 35: at most max_unacked unACKed new workers; old workers retire only after new ones ACK', async () => {
    const { master } = await manualMaster(3, ['--max-unacked', '1'], {
      FIXTURE_ACK_DELAY_MS: '700',
    });
    const client = await master.client();
    expect((await client.request('upgrade')).at(-1)?.message).toBe('Upgrade done');
    await master.waitForState(
      (s) => children(s).length === 3 && children(s).every((c) => c.version === 1),
    );
    const replay = replayUpgrade(master.stderr(), { n: 3, maxUnacked: 1 });
    expect(replay.retiredTogether.flat()).toHaveLength(3);
  });

  it('check 36: upgrade_fleet starts all new workers together and retires both old ones together after both ACK', async () => {
    const { master, pids } = await manualMaster(2, [], { FIXTURE_ACK_DELAY_MS: '300' });
    const client = await master.client();
    const replies = await client.request('upgrade_fleet');
    expect(replies[0]?.message).toBe('Upgrading fleet, as commanded');
    expect(replies.at(-1)?.message).toBe('Upgrade done');
    const log = jsonLog(master.stderr()).map((line) => line.msg);
    const start = log.indexOf('Starting fleet upgrade from version 0...');
    expect(
      log.slice(start + 1, start + 4).filter((msg) => msg.startsWith('===> Launched')),
    ).toHaveLength(2);
    await master.waitForState(
      (s) => children(s).length === 2 && children(s).every((c) => c.version === 1),
    );
    const replay = replayUpgrade(master.stderr(), { n: 2 });
    expect(replay.retiredTogether).toHaveLength(1);
    expect([...replay.retiredTogether[0]!].sort((a, b) => a - b)).toEqual(
      [...pids].sort((a, b) => a - b),
    );
  });

  it('check 37 / P20: --max-upgrade-additional 0 never has more than N live workers (einhorn peaks at N+1)', async () => {
    const { master } = await manualMaster(3, ['--max-upgrade-additional', '0', '-s', '0.1'], {
      FIXTURE_ACK_DELAY_MS: '300',
    });
    const client = await master.client();
    expect((await client.request('upgrade')).at(-1)?.message).toBe('Upgrade done');
    await master.waitForState(
      (s) => children(s).length === 3 && children(s).every((c) => c.version === 1),
    );
    const replay = replayUpgrade(master.stderr(), { n: 3, maxLive: 3 });
    expect(replay.peakLive).toBe(3);
  });

  it('check 37 / P20: --max-upgrade-additional 1 peaks at exactly N+1', async () => {
    const { master } = await manualMaster(2, ['--max-upgrade-additional', '1'], {
      FIXTURE_ACK_DELAY_MS: '200',
    });
    const client = await master.client();
    expect((await client.request('upgrade')).at(-1)?.message).toBe('Upgrade done');
    await master.waitForState(
      (s) => children(s).length === 2 && children(s).every((c) => c.version === 1),
    );
    expect(replayUpgrade(master.stderr(), { n: 2, maxLive: 3 }).peakLive).toBe(3);
  });

  it('check 58: reload keeps the pid, the admin connection and the fds; later workers see the same environment', async () => {
    const { master } = await manualMaster(1, ['-b', '127.0.0.1:0', '-b', '127.0.0.1:0']);
    const client = await master.client();
    expect((await client.request('reload'))[0]?.message).toBe('Reloading, as commanded');
    // The reload first runs the upgrade check of the re-exec command line, then bumps the generation.
    const state = await master.waitForState((s) => s.generation === 1);
    expect(state).toMatchObject({ master_pid: master.pid, generation: 1, version: 0 });
    expect((await client.request('upgrade')).at(-1)?.message).toBe('Upgrade done');
    expect((await client.request('inc'))[0]?.message).toBe(
      'Incrementing number of workers from 1 -> 2',
    );
    const events = await master.waitForEvents(
      (all) => all.filter((e) => e.event === 'start').length === 3,
    );
    const envs = events
      .filter((e) => e.event === 'start')
      .map((e) => ({ ...(e['env'] as Record<string, string>), EINHORN_CHILD_INDEX: 'x' }));
    expect(envs[1]).toEqual(envs[0]);
    expect(envs[2]).toEqual(envs[0]);
    expect(envs[0]).toMatchObject({
      EINHORN_FD_0: '3',
      EINHORN_FD_1: '4',
      EINHORN_MASTER_PID: String(master.pid),
    });
  });

  it('P4: an upgrade during shutdown gets a final reply without wait', async () => {
    const { master } = await manualMaster(1, [], { FIXTURE_ON_USR2: 'ignore' });
    const client = await master.client();
    expect((await client.request('die'))[0]?.message).toBe('Einhorn is going down! ');
    const replies = await client.request('upgrade');
    expect(replies).toEqual([
      { message: 'Not upgrading: the master is shutting down', request_id: 2 },
    ]);
  });
});

describe('failing new code', () => {
  async function brokenUpgrade(
    extra: readonly string[],
  ): Promise<{ master: MasterHandle; pids: number[]; replies: EinhornReply[]; marker: string }> {
    const { master, pids } = await manualMaster(2, ['-s', '0.2', ...extra], {
      FIXTURE_CRASH_IF: 'broken',
    });
    const marker = join(master.dir, 'broken');
    writeFileSync(marker, '');
    const client = await master.client();
    const replies: EinhornReply[] = [];
    void client
      .request('upgrade', [], { onMessage: (reply) => replies.push(reply), timeoutMs: 0 })
      .catch(() => undefined);
    return { master, pids, replies, marker };
  }

  it('check 38: new workers crash-loop under a growing backoff (s·1.5^k); old workers are never signaled; no "Upgrade done"', async () => {
    const { master, pids, replies } = await brokenUpgrade(['--max-failed-starts', '0']);
    // The master itself reports the backoff it applies: wait for a launch it made at k >= 3.
    await vi.waitFor(() => {
      const { spawns } = replaySpawns(master.stderr(), 'Starting smooth upgrade');
      expect(spawns.some((spawn) => (spawn.report?.deaths ?? 0) >= 3)).toBe(true);
    }, WAIT);
    const state = await master.state();
    expect(state.consecutive_deaths_before_ack).toBeGreaterThanOrEqual(3);
    expect(state.upgrading).toBe(true);
    for (const pid of pids)
      expect(state.children[String(pid)]).toMatchObject({ acked: true, signaled: [] });
    expect(master.events().filter((e) => e.event === 'signal')).toEqual([]);
    expect(master.stderr()).not.toMatch(/Sending USR2/);
    expect(replies.map((r) => r.message)).not.toContain('Upgrade done');
    const { spawns, streaksBroken } = replaySpawns(master.stderr(), 'Starting smooth upgrade');
    expect(streaksBroken).toEqual([]);
    // Every new worker was spawned gradually, under the backoff for the deaths seen so far
    // (the counter starts over at the upgrade), and k only grows while nothing ACKs.
    const reports = spawns.map((spawn) => expectBackoff(spawn, 0.2));
    expect(reports[0]!.deaths).toBe(0);
    for (let i = 1; i < reports.length; i++) {
      expect(reports[i]!.deaths).toBeGreaterThanOrEqual(reports[i - 1]!.deaths);
      expect(reports[i]!.intervalS).toBeGreaterThanOrEqual(reports[i - 1]!.intervalS);
    }
    expect(reports.at(-1)!.deaths).toBeGreaterThanOrEqual(3);
    expect(reports.at(-1)!.intervalS).toBeGreaterThan(reports[0]!.intervalS);
  });

  it('check 39: fixing the code and upgrading again bumps the version and completes', async () => {
    const { master, replies, marker } = await brokenUpgrade(['--max-failed-starts', '0']);
    await master.waitForEvents((all) => all.filter((e) => e.event === 'crash').length >= 2);
    unlinkSync(marker);
    const client = await master.client();
    const second = await client.request('upgrade');
    expect(
      second
        .map((r) => r.message)
        .some((m) =>
          /^Currently upgrading \(\d+ \/ 2 ACKs; bumping version and starting over\)\.\.\.$/.test(
            m,
          ),
        ),
    ).toBe(true);
    expect(second.at(-1)?.message).toBe('Upgrade done');
    const state = await master.waitForState(
      (s) => children(s).length === 2 && children(s).every((c) => c.version === 2),
    );
    expect(state.version).toBe(2);
    expect(replies.at(-1)?.message).toBe('Upgrade done');
  });

  it('circuit breaker: after --max-failed-starts deaths the upgrade fails loudly, old workers stay, state shows it', async () => {
    const { master, pids, replies } = await brokenUpgrade([
      '--max-failed-starts',
      '3',
      '-s',
      '0.05',
    ]);
    await master.waitForLog(/Circuit breaker: 3 workers of version 1 in a row died before ACKing/);
    const state = await master.waitForState((s) => s.halted !== null);
    expect(state.halted).toEqual({ version: 1, failed_starts: 3 });
    for (const pid of pids)
      expect(state.children[String(pid)]).toMatchObject({ acked: true, signaled: [] });
    await master.waitForEvents(() => replies.at(-1)?.wait === undefined && replies.length > 1);
    expect(replies.at(-1)?.message).toMatch(
      /^Upgrade failed: 3 workers of version 1 died before ACKing; the old workers are kept\./,
    );
    // Spawning stops at the breaker: nothing is launched after it. With --max-unacked at the CPU
    // count, a fourth worker may have been launched before the third death was reaped; it crashes
    // after the breaker, and is not replaced.
    const log = jsonLog(master.stderr()).map((line) => line.msg);
    const upgradeAt = log.findIndex((msg) => msg.startsWith('Starting smooth upgrade'));
    const trippedAt = log.findIndex((msg) => msg.startsWith('Circuit breaker: 3 workers'));
    expect(trippedAt).toBeGreaterThan(upgradeAt);
    const launched = log.slice(upgradeAt).filter((msg) => msg.startsWith('===> Launched'));
    expect(launched.length).toBeGreaterThanOrEqual(3);
    const after = await master.waitForState((s) => Object.keys(s.children).length === pids.length);
    expect(Object.keys(after.children).sort()).toEqual(pids.map(String).sort());
    expect(after.halted).toEqual({ version: 1, failed_starts: 3 });
    const final = jsonLog(master.stderr()).map((line) => line.msg);
    expect(final.slice(trippedAt).filter((msg) => msg.startsWith('===> Launched'))).toEqual([]);
    expect(final.slice(upgradeAt).filter((msg) => msg.startsWith('===> Launched'))).toEqual(
      launched,
    );
    expect(master.events().filter((e) => e.event === 'crash')).toHaveLength(launched.length);
  });

  it('check 40: each respawn waits s·1.5^k after the last spawn (k = deaths before ACK), only after the death; an ACK resets k', async () => {
    const marker = join(tempDir(), 'broken');
    writeFileSync(marker, '');
    const master = await startMaster({
      options: [
        '-n',
        '1',
        '-m',
        'manual',
        '-s',
        '0.2',
        '--max-failed-starts',
        '0',
        '-v',
        '--log-format',
        'json',
      ],
      env: { FIXTURE_CRASH_IF: marker, FIXTURE_ACK: 'manual' },
    });
    // Six launches: the first start and five respawns, the last at k = 5.
    const { spawns } = await vi.waitFor(() => {
      const replay = replaySpawns(master.stderr());
      expect(replay.spawns.length).toBeGreaterThanOrEqual(6);
      return replay;
    }, WAIT);
    expect(spawns[0]!.report).toBeUndefined(); // the first start is immediate
    for (let k = 1; k < 6; k++) {
      const spawn = spawns[k]!;
      // With one worker, spawn k comes only after worker k-1 died: k deaths, interval s·1.5^k.
      expect(spawn.exitedBefore.has(spawns[k - 1]!.pid)).toBe(true);
      expect(expectBackoff(spawn, 0.2).deaths).toBe(k);
    }
    // Fix the code: the next worker ACKs, which breaks the streak and resets k to 0.
    unlinkSync(marker);
    const state = await master.waitForState(allAcked(1));
    expect(state.consecutive_deaths_before_ack).toBe(0);
    const fixed = replaySpawns(master.stderr());
    expect(fixed.streaksBroken).toHaveLength(1);
    expect(fixed.streaksBroken[0]).toBe(fixed.spawns.length - 1);
    // An ACKed worker's death does not count: its replacement is spawned with k = 0 (s·1.5^0).
    const acked = Object.values(state.children)[0]!.pid;
    process.kill(acked, 'SIGKILL');
    const after = await master.waitForState(
      (s) => allAcked(1)(s) && !(String(acked) in s.children),
    );
    const respawned = replaySpawns(master.stderr()).spawns;
    const replacement = respawned.find(
      (spawn) => spawn.pid === Object.values(after.children)[0]!.pid,
    );
    expect(replacement).toBeDefined();
    expect(expectBackoff(replacement!, 0.2)).toMatchObject({ deaths: 0, intervalS: 0.2 });
  });
});
