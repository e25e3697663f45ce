// Signals to the master, SIGKILL escalation and -k.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, isAlive, jsonLog, startMaster, WAIT } from './helpers.ts';
import type { FixtureEvent, MasterHandle, StateDoc } from './helpers.ts';

afterEach(cleanup);

const children = (state: StateDoc) => Object.values(state.children);
const signalsOf = (events: readonly FixtureEvent[], pid: number) =>
  events.filter((e) => e.event === 'signal' && e.pid === pid).map((e) => e['signal']);

/** A master with `n` ACKed workers whose signal handlers are installed. */
async function ready(
  n: number,
  options: readonly string[] = [],
  env: Record<string, string> = {},
): Promise<{ master: MasterHandle; pids: number[] }> {
  const master = await startMaster({ options: ['-n', String(n), '-m', '0', ...options], env });
  const state = await master.waitForState((s) => children(s).filter((c) => c.acked).length === n);
  await master.waitForEvents((all) => all.filter((e) => e.event === 'start').length >= n);
  return { master, pids: children(state).map((c) => c.pid) };
}

describe('master signals', () => {
  for (const [signal, expected] of [
    ['SIGINT', 'SIGUSR2'],
    ['SIGUSR2', 'SIGUSR2'],
    ['SIGTERM', 'SIGTERM'],
  ] as const) {
    it(`check 47: ${signal} sends ${expected} to the workers and the master exits 0 after they exit`, async () => {
      const { master, pids } = await ready(2);
      master.child.kill(signal);
      expect(await master.exited).toEqual({ code: 0, signal: null });
      const events = master.events();
      for (const pid of pids) {
        expect(signalsOf(events, pid)).toEqual([expected]);
        expect(isAlive(pid)).toBe(false);
      }
      expect(events.filter((e) => e.event === 'start')).toHaveLength(2);
    });
  }

  it('check 47: QUIT sends QUIT and the master exits 1 at once, logging the workers it leaves', async () => {
    const { master, pids } = await ready(2, [], { FIXTURE_ON_USR2: 'ignore' });
    master.child.kill('SIGQUIT');
    expect(await master.exited).toEqual({ code: 1, signal: null });
    expect(master.stderr()).toMatch(
      /Exiting without waiting for workers \[\d+, \d+\]; they got SIGQUIT/,
    );
    const events = await master.waitForEvents((all) =>
      pids.every((pid) => signalsOf(all, pid).includes('SIGQUIT')),
    );
    for (const pid of pids) expect(signalsOf(events, pid)).toEqual(['SIGQUIT']);
  });

  it('check 48: HUP runs a smooth upgrade', async () => {
    const { master, pids } = await ready(2, ['-s', '0.05']);
    master.child.kill('SIGHUP');
    await master.waitForLog(/Starting smooth upgrade from version 0\.\.\./);
    // Logged as the signal arrives, and the upgrade check of the re-exec command line ran first.
    const log = master.stderr();
    const received = log.indexOf('Received SIGHUP: starting a smooth upgrade');
    const checked = log.indexOf('Checking that einhorn could reload: running ');
    expect(received).toBeGreaterThanOrEqual(0);
    expect(checked).toBeGreaterThan(received);
    expect(log.indexOf('Starting smooth upgrade')).toBeGreaterThan(checked);
    const state = await master.waitForState(
      (s) =>
        s.version === 1 &&
        !s.upgrading &&
        children(s).length === 2 &&
        children(s).every((c) => c.version === 1),
    );
    for (const pid of pids) expect(String(pid) in state.children).toBe(false);
  });

  it('check 49: USR1 is ignored, TTIN adds a worker, TTOU removes one; the master keeps running', async () => {
    const { master } = await ready(1, ['-s', '0.05']);
    master.child.kill('SIGUSR1');
    await master.waitForLog(/Received SIGUSR1; einhorn-node ignores it/);
    master.child.kill('SIGTTIN');
    await master.waitForState(
      (s) => s.config.number === 2 && children(s).filter((c) => c.acked).length === 2,
    );
    master.child.kill('SIGTTOU');
    await master.waitForState((s) => s.config.number === 1 && children(s).length === 1);
    master.child.kill('SIGTTOU');
    await master.waitForLog(/Can't decrease number of workers \(already at 1\)/);
    expect((await master.state()).master_pid).toBe(master.pid);
    expect(master.child.exitCode).toBeNull();
  });

  it('check 46: -t 2 SIGKILLs a worker that ignores USR2, after the USR2 (die)', async () => {
    const { master, pids } = await ready(1, ['-t', '2', '--log-format', 'json'], {
      FIXTURE_ON_USR2: 'ignore',
    });
    const replies = await master.request('die');
    expect(replies[0]?.message).toBe('Einhorn is going down! ');
    expect(await master.exited).toEqual({ code: 0, signal: null });
    expect(isAlive(pids[0]!)).toBe(false);
    // Order and cause from the master's log: USR2 first, then the SIGKILL the -t 2 timer sends,
    // then the exit. The timer's exact delay is pinned with fake timers in signaling.test.ts.
    const log = jsonLog(master.stderr()).map((line) => line.msg);
    const sent = log.indexOf(`Sending USR2 to [${pids[0]}]`);
    const killed = log.indexOf(`Child ${pids[0]} is still active 2s after USR2. Sending SIGKILL.`);
    const exited = log.findIndex((msg) => msg.startsWith(`===> Exited worker ${pids[0]}`));
    expect(sent).toBeGreaterThanOrEqual(0);
    expect(killed).toBeGreaterThan(sent);
    expect(exited).toBeGreaterThan(killed);
    // The worker saw the USR2 and ignored it; only SIGKILL (which it cannot see) ended it.
    expect(signalsOf(master.events(), pids[0]!)).toEqual(['SIGUSR2']);
  });

  it('check 46: -t also kills an old worker an upgrade retired that ignores USR2', async () => {
    const { master, pids } = await ready(1, ['-t', '1', '-s', '0.05'], {
      FIXTURE_ON_USR2: 'ignore',
    });
    const client = await master.client();
    const replies = await client.request('upgrade');
    expect(replies.at(-1)?.message).toBe('Upgrade done');
    await master.waitForLog(
      new RegExp(`Child ${pids[0]} is still active 1s after USR2\\. Sending SIGKILL\\.`),
    );
    await vi.waitFor(() => {
      expect(isAlive(pids[0]!)).toBe(false);
    }, WAIT);
  });

  it('check 50: with -k, kill -9 of the master makes every (plain) worker receive SIGUSR2', async () => {
    const { master, pids } = await ready(2, ['-k']);
    master.child.kill('SIGKILL');
    await master.exited;
    const events = await master.waitForEvents((all) =>
      pids.every((pid) => signalsOf(all, pid).includes('SIGUSR2')),
    );
    for (const pid of pids) expect(signalsOf(events, pid)).toEqual(['SIGUSR2']);
    await vi.waitFor(() => {
      for (const pid of pids) expect(isAlive(pid)).toBe(false);
    }, WAIT);
  });

  it('without -k, kill -9 of the master leaves workers running (einhorn behaviour)', async () => {
    const { master, pids } = await ready(1);
    master.child.kill('SIGKILL');
    await master.exited;
    expect(isAlive(pids[0]!)).toBe(true);
    expect(signalsOf(master.events(), pids[0]!)).toEqual([]);
  });

  it('-k with --graceful-signal TERM sends TERM on master death', async () => {
    const { master, pids } = await ready(1, ['-k', '--graceful-signal', 'TERM']);
    master.child.kill('SIGKILL');
    await master.exited;
    await master.waitForEvents((all) => signalsOf(all, pids[0]!).includes('SIGTERM'));
  });
});
