// `npm start` (README's first command): `kill -INT` of the npm process stops the master and its
// workers, as Ctrl-C in the terminal does. Runs once, in the release project.
import { spawn } from 'node:child_process';
import { describe, expect, it, onTestFinished } from 'vitest';
import { REPO } from './pack.global-setup.ts';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('npm start', () => {
  it('kill -INT of the npm process stops the master and its workers', async () => {
    const npm = spawn('npm', ['start'], {
      cwd: REPO,
      // The build already ran (this project depends on it); PORT 0 avoids a clash with a real run.
      env: { ...process.env, PORT: '0', EINHORN_START_NO_BUILD: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // its own group: nothing but our kill reaches it
    });
    let output = '';
    npm.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    npm.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => npm.once('exit', resolve));
    let masterPid = 0;
    let workerPids: number[] = [];
    // Also after a failure or a timeout, nothing may outlive the test: the npm group (npm, the
    // start script), the master (its own group) and its workers.
    onTestFinished(() => {
      for (const pid of [-(npm.pid ?? 0), masterPid, ...workerPids]) {
        try {
          if (pid !== 0) process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    });
    await expect.poll(() => output).toMatch(/Ready: 2 workers share/);
    masterPid = Number(/\[MASTER (\d+)\]/.exec(output)?.[1]);
    workerPids = [...output.matchAll(/Launched worker (\d+)|pid (\d+) listening/g)]
      .map((match) => Number(match[1] ?? match[2]))
      .filter((pid) => pid > 0);
    expect(alive(masterPid)).toBe(true);
    process.kill(npm.pid ?? -1, 'SIGINT');
    expect(await exited).toBe(0);
    expect(alive(masterPid)).toBe(false);
    for (const pid of workerPids) expect(alive(pid), `worker ${pid}`).toBe(false);
    expect(output).toMatch(/Exited worker/);
  });
});
