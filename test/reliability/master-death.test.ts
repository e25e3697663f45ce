// Master death (check 50, P22): SIGKILL of a real einhorn-node master with real HTTP workers.
// With -k every worker gets the graceful signal and exits; without -k the workers are orphaned
// and keep serving the inherited socket. `node scripts/chaos-master-death.mjs` measures the time.
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, HTTP_WORKER, NODE, httpGet, isAlive, startMaster, until } from './master-process.ts';
import type { RunningMaster } from './master-process.ts';
import { killMasterAndWatch } from './master-death.ts';

const masters: RunningMaster[] = [];
afterEach(async () => {
  await Promise.all(masters.splice(0).map((master) => master.destroy()));
});

async function master(args: readonly string[]): Promise<RunningMaster> {
  const started = await startMaster({ args, workers: 2 });
  masters.push(started);
  return started;
}

describe('master death', () => {
  it('check 50: with -k, kill -9 of the master makes every worker get the graceful signal and exit; the stale socket is then replaced by a new master', async () => {
    const running = await master(['-k']);
    const result = await killMasterAndWatch(running, {
      expectWorkersToDie: true,
    });
    expect(result.workers).toHaveLength(2);
    expect(result.survivors).toEqual([]);
    for (const pid of result.workers) {
      expect(
        running.events().some((event) => event.pid === pid && event.event === 'signal'),
        `worker ${pid} was signalled`,
      ).toBe(true);
    }
    // P22: SIGKILL leaves the socket file behind; the next master on the same -d removes it and starts.
    const next = await startMaster({ socketPath: () => running.socketPath });
    masters.push(next);
    expect((await next.state()).master_pid).toBe(next.pid);
  });

  it('P22: without -k, kill -9 of the master orphans the workers, which keep serving; a new master cannot bind their port meanwhile', async () => {
    const running = await master([]);
    const port = (await running.state()).bound_ports[0] ?? 0;
    const result = await killMasterAndWatch(running, {
      expectWorkersToDie: false,
    });
    expect([...result.survivors].sort()).toEqual([...result.workers].sort());
    const bodies = new Set<string>();
    for (let i = 0; i < 20; i++) bodies.add(await httpGet(port));
    for (const body of bodies)
      expect(result.workers).toContain(Number(/^ok (\d+)\n$/.exec(body)?.[1]));
    const rival = spawn(
      NODE,
      [
        CLI,
        '-d',
        `${running.dir}/rival.sock`,
        '-e',
        `${running.dir}/rival.pid`,
        '-f',
        `${running.dir}/rival.lock`,
        '-b',
        `127.0.0.1:${port}`,
        '--',
        NODE,
        HTTP_WORKER,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    rival.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => rival.once('exit', resolve));
    expect(code, stderr).not.toBe(0);
    expect(stderr).toMatch(/EADDRINUSE|in use/i);
    for (const pid of result.workers) process.kill(pid, 'SIGKILL');
    await until(
      () => (result.workers.every((pid) => !isAlive(pid)) ? true : undefined),
      'the orphans to be killed',
    );
  });
});
