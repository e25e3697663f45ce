import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  killAll,
  makeTempDir,
  NODE,
  runInPty,
  runShell,
  SHELL_CLI,
  shellQuote,
  startFakeMaster,
} from './harness.ts';

// Psych's reply to `state` from the real einhorn 0.8.2 (Ruby 3.1), captured with
// `YAML.dump({'message' => YAML.dump(state), 'request_id' => 2})` and einhorn's %-escaping.
const RUBY_STATE_REPLY =
  '---%0Amessage: |%0A  ---%0A  :state:%0A    :children:%0A      17209:%0A        :type: :worker%0A        :version: 0%0A        :acked: true%0A        :signaled: !ruby/object:Set%0A          hash: {}%0A        :last_signaled_at:%0A        :index: 0%0A        :spinup_time: 2023-11-14 22:13:20.250000000 Z%0A    :config:%0A      :number: 1%0A    :version: 0%0A    :upgrading: false%0Arequest_id: 2%0A\n';
const RUBY_STATE_MESSAGE =
  '---\n:state:\n  :children:\n    17209:\n      :type: :worker\n      :version: 0\n      :acked: true\n      :signaled: !ruby/object:Set\n        hash: {}\n      :last_signaled_at:\n      :index: 0\n      :spinup_time: 2023-11-14 22:13:20.250000000 Z\n  :config:\n    :number: 1\n  :version: 0\n  :upgrading: false\n';

let dir: string;
let cleanup: () => Promise<void>;
let path: string;

beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
  path = `${dir}/einhorn.sock`;
});

afterEach(async () => {
  await killAll();
  await cleanup();
});

describe('einhornsh-node -e (non-interactive)', () => {
  it('check 53: sends {id, command, args} with ids 1 then 2, no ehlo, prints both messages, exits 0', async () => {
    const master = await startFakeMaster(path, [
      '{"message":"Incrementing number of workers from 2 -> 3","request_id":1}\n',
      RUBY_STATE_REPLY,
    ]);
    const shell = runShell(['-d', path, '--raw', '-e', 'inc; state']);
    expect(await shell.exit).toBe(0);
    expect(master.bytes()).toBe(
      '{"id":1,"command":"inc","args":[]}\n{"id":2,"command":"state","args":[]}\n',
    );
    expect(shell.stdout.text).toBe(
      `Incrementing number of workers from 2 -> 3\n${RUBY_STATE_MESSAGE}`,
    );
    expect(shell.stderr.text).toBe('');
  });

  it('check 55: prints a compact JSON reply with \\n and %25 as its lines', async () => {
    await startFakeMaster(path, ['{"message":"line1\\nline2 100%25","request_id":1}\n']);
    const shell = runShell(['-d', path, '-e', 'signal usr1']);
    expect(await shell.exit).toBe(0);
    expect(shell.stdout.text).toBe('line1\nline2 100%\n');
  });

  it("renders the real einhorn's YAML state (Symbols, Set, Time) as the table; --raw prints it verbatim", async () => {
    await startFakeMaster(path, [RUBY_STATE_REPLY]);
    const shell = runShell(['-d', path, '-e', 'state']);
    expect(await shell.exit).toBe(0);
    expect(shell.stdout.text).toMatch(
      /^master pid: \? {2}version: 0 {2}workers target: 1 {2}upgrading: no\nPID +INDEX +VERSION +ACKED +SIGNALED +AGE +LAST PING\n17209 +0 +0 +yes +- +\d+d\d\dh +-\n$/,
    );
  });

  it('check 56: prints every streamed upgrade line and returns only after the reply without wait', async () => {
    const master = await startFakeMaster(path);
    const shell = runShell(['-d', path, '-e', 'upgrade; inc']);
    await master.output.until((text) => text.includes('upgrade-waiting'));
    await shell.stdout.until((text) =>
      text.includes('Starting smooth upgrade from version 2...\n'),
    );
    expect(shell.child.exitCode).toBeNull();
    expect(await master.requests(1)).toHaveLength(1); // `inc` waits for the upgrade to finish
    master.release();
    expect(await shell.exit).toBe(0);
    expect(shell.stdout.text).toBe(
      'Upgrading smoothly, as commanded\nStarting smooth upgrade from version 2...\n===> Launched 1003 (index: 2)\nUpgrade done\nIncrementing number of workers from 2 -> 3\n',
    );
    expect(await master.requests(2)).toEqual([
      [{ command: 'upgrade', id: 1 }, 1],
      [{ command: 'inc', id: 2 }, 2],
    ]);
  });

  it("shows the built command server's state as a worker table, and as JSON with --raw", async () => {
    await startFakeMaster(path);
    const table = runShell(['-d', path, '-e', 'state']);
    expect(await table.exit).toBe(0);
    const lines = table.stdout.text.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^master pid: \d+ {2}version: 2 {2}workers target: 2 {2}upgrading: no$/,
    );
    expect(lines[1]).toMatch(/^PID\s+INDEX\s+VERSION\s+ACKED\s+SIGNALED\s+AGE\s+LAST PING$/);
    expect(lines[2]).toMatch(/^1001\s+0\s+2\s+yes\s+-\s+1m\d\ds\s+\d+s ago \(req-42\)$/);
    expect(lines[3]).toMatch(/^1002\s+1\s+2\s+no\s+-\s+\d+s\s+-$/);
    const raw = runShell(['-d', path, '--raw', '-e', 'state']);
    expect(await raw.exit).toBe(0);
    expect(JSON.parse(raw.stdout.text)).toMatchObject({
      state: { version: 2, config: { number: 2 } },
    });
  });

  it('exits 1 with a clear message when the master closes the connection mid-stream', async () => {
    await startFakeMaster(path);
    const shell = runShell(['-d', path, '-e', 'upgrade_fleet']);
    expect(await shell.exit).toBe(1);
    expect(shell.stdout.text).toBe('Upgrading fleet, as commanded\n');
    expect(shell.stderr.text).toContain('closed the connection before finishing its reply');
    expect(shell.stderr.text).not.toMatch(/\n\s+at /);
  });

  it('SIGINT while waiting for a stream exits 0', async () => {
    const master = await startFakeMaster(path);
    const shell = runShell(['-d', path, '-e', 'upgrade']);
    await master.output.until((text) => text.includes('upgrade-waiting'));
    await shell.stdout.until((text) => text.includes('Starting smooth upgrade'));
    shell.child.kill('SIGINT');
    expect(await shell.exit).toBe(0);
  });
});

describe('einhornsh-node with piped stdin', () => {
  it('runs each line in order, ids from 1, with no ehlo, banner or prompt', async () => {
    const master = await startFakeMaster(path);
    const shell = runShell(['-d', path]);
    shell.child.stdin?.end('inc\nset_workers 3; inc\n');
    expect(await shell.exit).toBe(0);
    expect(await master.requests(3)).toEqual([
      [{ command: 'inc', id: 1 }, 1],
      [{ command: 'set_workers', id: 2, args: ['3'] }, 2],
      [{ command: 'inc', id: 3 }, 3],
    ]);
    expect(shell.stdout.text).toBe(
      'Incrementing number of workers from 2 -> 3\n\nIncrementing number of workers from 3 -> 4\n',
    );
    expect(shell.stderr.text).toBe('');
  });
});

describe('einhornsh-node failures and usage', () => {
  it("exits 1 with einhornsh's hint and no stack trace when no master runs (ENOENT)", async () => {
    const shell = runShell(['-d', `${dir}/none.sock`, '-e', 'state']);
    expect(await shell.exit).toBe(1);
    expect(shell.stderr.text).toContain('Could not connect to Einhorn master process:');
    expect(shell.stderr.text).toContain('ENOENT');
    expect(shell.stderr.text).toContain('HINT: Are you sure you are running an Einhorn master?');
    expect(shell.stderr.text).not.toMatch(/\n\s+at /);
  });

  it('exits 1 with a clear message for a stale socket (ECONNREFUSED), which einhornsh crashes on', async () => {
    const stale = `${dir}/stale.sock`;
    const child = spawn(NODE, [
      '-e',
      `require('net').createServer().listen(${JSON.stringify(stale)}, () => process.kill(process.pid, 'SIGKILL'))`,
    ]);
    await once(child, 'exit');
    const shell = runShell(['-d', stale, '-e', 'state']);
    expect(await shell.exit).toBe(1);
    expect(shell.stderr.text).toContain('ECONNREFUSED');
    expect(shell.stderr.text).toContain('left behind by a master that exited');
    expect(shell.stderr.text).not.toMatch(/\n\s+at /);
  });

  it('finds $TMPDIR/einhorn-NAME.sock from -c NAME or the positional NAME', async () => {
    const master = await startFakeMaster(`${dir}/einhorn-web.sock`);
    const byFlag = runShell(['-c', 'web', '-e', 'inc'], { TMPDIR: dir });
    expect(await byFlag.exit).toBe(0);
    const byName = runShell(['web', '-e', 'inc'], { TMPDIR: dir });
    expect(await byName.exit).toBe(0);
    expect(await master.requests(2)).toHaveLength(2);
  });

  it('prints the usage and exits 1 for more than one positional NAME; -h exits 0', async () => {
    const two = runShell(['a', 'b']);
    expect(await two.exit).toBe(1);
    expect(two.stderr.text).toContain('Usage: einhornsh-node [options] [cmd_name]');
    const help = runShell(['-h']);
    expect(await help.exit).toBe(0);
    expect(help.stdout.text).toContain('-d, --socket-path PATH');
  });
});

describe('einhornsh-node on a terminal (pseudo-TTY via script)', () => {
  const command = (socketPath: string): string =>
    `${shellQuote(NODE)} ${shellQuote(SHELL_CLI)} -d ${shellQuote(socketPath)}`;

  it('check 54: ehlo without id, reply and banner, prompt, commands with ids, Goodbye, history', async () => {
    const master = await startFakeMaster(path);
    const shell = runInPty(command(path), { USER: 'alice', HOME: dir });
    await shell.stdout.until((text) => text.includes('> '));
    expect(shell.stdout.text).toContain(
      `Welcome, alice! You are speaking to Einhorn Master Process`,
    );
    expect(shell.stdout.text).toContain(
      'Enter \'help\' if you\'re not sure what to do.\r\n\r\nType "quit" or "exit" to quit at any time',
    );
    shell.child.stdin?.write('inc\r');
    await shell.stdout.until((text) => text.includes('Incrementing number of workers from 2 -> 3'));
    shell.child.stdin?.write('quit\r');
    expect(await shell.exit).toBe(0);
    expect(shell.stdout.text).toContain('Goodbye!');
    expect(await master.requests(2)).toEqual([
      [{ command: 'ehlo', user: 'alice' }, null],
      [{ command: 'inc', id: 1 }, 1],
    ]);
    expect(await readFile(`${dir}/.einhornsh_node_history`, 'utf8')).toBe('inc\nquit\n');
  });

  it('^C at the prompt exits 0', async () => {
    await startFakeMaster(path);
    const shell = runInPty(command(path), { USER: 'alice', HOME: dir });
    await shell.stdout.until((text) => text.includes('> '));
    shell.child.stdin?.write('\x03');
    expect(await shell.exit).toBe(0);
  });
});
