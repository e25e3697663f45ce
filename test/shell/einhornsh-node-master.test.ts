// einhornsh-node (built) against a real einhorn-node (built) with real workers: a failed upgrade
// makes `-e upgrade` exit 1, `state` shows the tripped circuit breaker, and both find the same
// default socket when TMPDIR is unset and TMP is set.
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, startMaster, tempDir, WAIT, type MasterHandle } from '../master/helpers.ts';
import { killAll, runShell } from './harness.ts';

afterEach(async () => {
  await killAll();
  await cleanup();
});

async function shell(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ status: number | string; stdout: string; stderr: string }> {
  const run = runShell(args, env);
  run.child.stdin?.end();
  const status = await run.exit;
  return { status, stdout: run.stdout.text, stderr: run.stderr.text };
}

/** One manually ACKing worker whose next versions crash before ACKing while `broken` exists. */
async function masterWithBreaker(): Promise<{ master: MasterHandle; marker: string }> {
  const master = await startMaster({
    options: ['-n', '1', '-m', 'manual', '-s', '0.05', '--max-failed-starts', '2'],
    env: { FIXTURE_ACK: 'manual', FIXTURE_CRASH_IF: 'broken' },
  });
  await master.waitForState((s) => Object.values(s.children).some((child) => child.acked));
  return { master, marker: join(master.dir, 'broken') };
}

describe('einhornsh-node against einhorn-node', () => {
  it('-e upgrade exits 1 when the circuit breaker fails the upgrade; state shows the breaker; a good upgrade exits 0', async () => {
    const { master, marker } = await masterWithBreaker();
    writeFileSync(marker, '');

    const failed = await shell(['-d', master.socketPath, '-e', 'upgrade']);
    expect(failed.status).toBe(1);
    expect(failed.stdout).toMatch(/^Upgrading smoothly, as commanded\n/);
    expect(failed.stdout).toMatch(
      /\nUpgrade failed: 2 workers of version 1 died before ACKing[^\n]*\n$/,
    );
    expect(failed.stderr).toMatch(
      /^einhornsh-node: the upgrade did not complete: expected "Upgrade done" but the master's last reply was "Upgrade failed: /,
    );

    const tripped = await shell(['-d', master.socketPath, '-e', 'state']);
    expect(tripped.status).toBe(0);
    expect(tripped.stdout).toMatch(/ {2}version: 1 {2}workers target: 1 {2}upgrading: failed\n/);
    expect(tripped.stdout).toContain(
      'circuit breaker: tripped: version 1 is no longer spawned after 2 workers in a row died before ACKing',
    );
    // The version-0 worker still serves, ACKed.
    expect(tripped.stdout).toMatch(/\n\d+ +0 +0 +yes /);

    // Control: the same shell and master, with the code fixed, exit 0 and the breaker is gone.
    rmSync(marker);
    const fixed = await shell(['-d', master.socketPath, '-e', 'upgrade']);
    expect(fixed.stderr).toBe('');
    expect(fixed.stdout).toMatch(/\nUpgrade done\n$/);
    expect(fixed.status).toBe(0);
    const healthy = await shell(['-d', master.socketPath, '-e', 'state']);
    expect(healthy.stdout).toMatch(/ {2}version: 2 {2}workers target: 1 {2}upgrading: no\n/);
    expect(healthy.stdout).not.toContain('circuit breaker');
  });

  it('--json prints the state as JSON', async () => {
    const { master } = await masterWithBreaker();
    const run = await shell(['-d', master.socketPath, '--json', '-e', 'state']);
    expect(run.status).toBe(0);
    const printed = JSON.parse(run.stdout) as {
      state: { children: Record<string, { acked: boolean; signaled: unknown }> };
    };
    const children = Object.values(printed.state.children);
    expect(children).toHaveLength(1);
    expect(children[0]).toMatchObject({ acked: true, signaled: [] });
  });

  it('check 10: with TMPDIR unset and TMP set, the shell finds the master by -c NAME', async () => {
    const tmp = tempDir();
    const env = { TMPDIR: '', TMP: tmp };
    const master = await startMaster({
      paths: false,
      options: ['-c', 'agree', '-n', '1'],
      env,
    });
    const socket = join(tmp, 'einhorn-agree.sock');
    await vi.waitFor(() => {
      if (!existsSync(socket)) throw new Error(`no socket at ${socket} yet:\n${master.stderr()}`);
    }, WAIT);
    expect(existsSync(join(tmp, 'einhorn-agree.pid'))).toBe(true);
    const found = await shell(['-c', 'agree', '-e', 'louder'], env);
    expect(found.stderr).toBe('');
    expect(found.stdout).toMatch(/^Verbosity set to \d\n$/);
    expect(found.status).toBe(0);
  });
});
