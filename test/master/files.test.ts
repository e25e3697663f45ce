// Command socket, pidfile and lockfile.
import { spawn } from 'node:child_process';
import { existsSync, lstatSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, NODE, runCli, startMaster, tempDir, WORKER } from './helpers.ts';

afterEach(cleanup);

/** Leaves a socket file nobody listens on: a process binds it and dies by SIGKILL. */
async function staleSocket(path: string): Promise<void> {
  const child = spawn(
    NODE,
    [
      '-e',
      `require('net').createServer().listen(${JSON.stringify(path)}, () => process.kill(process.pid, 'SIGKILL'))`,
    ],
    { stdio: 'ignore' },
  );
  await new Promise((resolve) => child.once('exit', resolve));
}

describe('command socket, pidfile, lockfile', () => {
  it('check 8: a second master on a live socket exits non-zero; the first is unaffected', async () => {
    const first = await startMaster({ options: ['-n', '1'] });
    const dir = tempDir();
    const second = await runCli([
      '-d',
      first.socketPath,
      '-e',
      join(dir, 'p.pid'),
      '-f',
      join(dir, 'l.lock'),
      '--',
      NODE,
      WORKER,
    ]);
    expect(second.code).not.toBe(0);
    expect(second.stderr).toContain('ERR_EINHORN_COMMAND_SOCKET_IN_USE');
    expect(second.stderr).toMatch(/Another process/);
    const state = await first.state();
    expect(state.master_pid).toBe(first.pid);
    expect(readFileSync(join(first.dir, 'einhorn.pid'), 'utf8')).toBe(String(first.pid));
  });

  it('check 9: a stale socket file is replaced and the master starts', async () => {
    const dir = tempDir();
    const path = join(dir, 'stale.sock');
    await staleSocket(path);
    expect(lstatSync(path).isSocket()).toBe(true);
    const master = await startMaster({ socketArg: path, options: ['-n', '1'] });
    await master.waitForLog(/Blowing away old Einhorn command socket/);
    expect((await master.state()).master_pid).toBe(master.pid);
  });

  it('check 9: a regular file at the socket path is refused', async () => {
    const dir = tempDir();
    const path = join(dir, 'file.sock');
    writeFileSync(path, 'not a socket');
    const result = await runCli([
      '-d',
      path,
      '-e',
      join(dir, 'p.pid'),
      '-f',
      join(dir, 'l.lock'),
      '--',
      NODE,
      WORKER,
    ]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('ERR_EINHORN_COMMAND_SOCKET_INVALID');
    expect(readFileSync(path, 'utf8')).toBe('not a socket');
    expect(existsSync(join(dir, 'p.pid'))).toBe(false);
  });

  it('check 10: TMPDIR + -c NAME place .sock, .pid (no newline) and .lock; TERM removes .sock and .pid only', async () => {
    const dir = tempDir();
    const master = await startMaster({
      paths: false,
      socketArg: join(dir, 'einhorn-app.sock'),
      options: ['-c', 'app', '-n', '1'],
      env: { TMPDIR: dir },
    });
    expect(lstatSync(join(dir, 'einhorn-app.sock')).isSocket()).toBe(true);
    expect(readFileSync(join(dir, 'einhorn-app.pid'), 'utf8')).toBe(String(master.pid));
    expect(existsSync(join(dir, 'einhorn-app.lock'))).toBe(true);
    const ehlo = await master.request('ehlo');
    expect(ehlo[0]?.message).toContain(`Einhorn Master Process ${master.pid} (app).`);
    master.child.kill('SIGTERM');
    expect(await master.exited).toEqual({ code: 0, signal: null });
    expect(existsSync(join(dir, 'einhorn-app.sock'))).toBe(false);
    expect(existsSync(join(dir, 'einhorn-app.pid'))).toBe(false);
    expect(existsSync(join(dir, 'einhorn-app.lock'))).toBe(true);
  });
});
