import { readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  makeTempDir,
  startFakeMaster,
  type FakeMaster,
} from '../testing/fake-master.test-helpers.ts';
import { runEinhornsh, type ShellEnvironment } from './main.ts';

let dir: string;
let cleanup: () => Promise<void>;
let fake: FakeMaster;
let path: string;

beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
  path = `${dir}/einhorn.sock`;
  fake = await startFakeMaster(path);
});

afterEach(async () => {
  await fake.close();
  await cleanup();
});

interface Run {
  readonly stdin: PassThrough;
  readonly stdout: () => string;
  readonly stderr: () => string;
  readonly interrupt: AbortController;
  readonly status: Promise<number>;
}

function run(argv: readonly string[], overrides: Partial<ShellEnvironment> = {}): Run {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const interrupt = new AbortController();
  const status = runEinhornsh(argv, {
    stdin,
    stdout,
    stderr,
    env: { USER: 'alice', TMPDIR: dir },
    signal: interrupt.signal,
    onInterrupt: () => {
      interrupt.abort();
    },
    historyPath: null,
    now: () => 0,
    ...overrides,
  });
  return { stdin, stdout: () => out, stderr: () => err, interrupt, status };
}

describe('einhornsh-node -e', () => {
  it('check 53: runs each command in order with ids 1, 2 and no ehlo, printing every message', async () => {
    const shell = run(['-d', path, '-e', 'inc; louder']);
    expect(await shell.status).toBe(0);
    expect(fake.requests.map((r) => [r.command, r.id])).toEqual([
      [{ command: 'inc', id: 1 }, 1],
      [{ command: 'louder', id: 2 }, 2],
    ]);
    expect(shell.stdout()).toBe('Incrementing number of workers from 1 -> 2\nVerbosity set to 0\n');
    expect(shell.stderr()).toBe('');
  });

  it('check 55: prints a multi-line message as lines, and "" as an empty line', async () => {
    fake.on('state', (request) => {
      request.reply('line1\nline2 100%');
    });
    fake.on('signal', (request) => {
      request.reply('');
    });
    const shell = run(['-d', path, '-e', 'state; signal USR1']);
    expect(await shell.status).toBe(0);
    expect(shell.stdout()).toBe('line1\nline2 100%\n\n');
  });

  it('check 56: prints a streamed upgrade and returns only after the final reply', async () => {
    const steps: (() => void)[] = [];
    fake.on('upgrade', (request) => {
      request.reply('Upgrading smoothly, as commanded', { wait: true });
      steps.push(() => {
        request.reply('===> Launched 17 (index: 1)', { wait: true });
      });
      steps.push(() => {
        request.reply('Upgrade done');
      });
    });
    const shell = run(['-d', path, '-e', 'upgrade; louder']);
    await expect.poll(() => shell.stdout()).toBe('Upgrading smoothly, as commanded\n');
    steps.shift()?.();
    await expect.poll(() => shell.stdout()).toContain('Launched');
    expect(fake.requests).toHaveLength(1); // louder waits for the upgrade to finish
    steps.shift()?.();
    expect(await shell.status).toBe(0);
    expect(shell.stdout()).toBe(
      'Upgrading smoothly, as commanded\n===> Launched 17 (index: 1)\nUpgrade done\nVerbosity set to 0\n',
    );
  });

  it('passes every argument as a string', async () => {
    fake.on('set_workers', (request) => {
      request.reply('');
    });
    const shell = run(['-d', path, '-e', "set_workers 3 'a b'"]);
    expect(await shell.status).toBe(0);
    expect(fake.requests[0]?.command).toEqual({
      command: 'set_workers',
      id: 1,
      args: ['3', 'a b'],
    });
  });

  it('renders state as a table, and verbatim with --raw', async () => {
    const state = {
      pid: 9,
      version: 0,
      upgrading: false,
      workersTarget: 1,
      workers: [
        {
          pid: 10,
          index: 0,
          version: 0,
          acked: true,
          signaled: [],
          spawnedAt: 0,
        },
      ],
    };
    fake.on('state', (request) => {
      request.reply(JSON.stringify(state));
    });
    const table = run(['-d', path, '-e', 'state']);
    expect(await table.status).toBe(0);
    expect(table.stdout()).toContain(
      'master pid: 9  version: 0  workers target: 1  upgrading: no\nPID',
    );
    const raw = run(['-d', path, '-e', 'state', '--raw']);
    expect(await raw.status).toBe(0);
    expect(raw.stdout()).toBe(`${JSON.stringify(state)}\n`);
  });

  it('prints the YAML state verbatim with --raw, and a tagged document it cannot read as it is', async () => {
    const yaml = '---\n:state:\n  :children:\n    17:\n      :acked: true\n';
    const evil = '--- !ruby/object:Gem::Installer\ni: x\n';
    let reply = yaml;
    fake.on('state', (request) => {
      request.reply(reply);
    });
    const raw = run(['-d', path, '--raw', '-e', 'state']);
    expect(await raw.status).toBe(0);
    expect(raw.stdout()).toBe(yaml);
    const table = run(['-d', path, '-e', 'state']);
    expect(await table.status).toBe(0);
    expect(table.stdout()).toContain('17   ?      ?        yes    -         ?    -');
    reply = evil;
    const verbatim = run(['-d', path, '-e', 'state']);
    expect(await verbatim.status).toBe(0);
    expect(verbatim.stdout()).toBe(evil);
  });

  it('stops at quit without a Goodbye, and exits 1 on an unmatched quote', async () => {
    const quit = run(['-d', path, '-e', 'louder; quit; inc']);
    expect(await quit.status).toBe(0);
    expect(fake.requests.map((r) => r.command.command)).toEqual(['louder']);
    expect(quit.stderr()).toBe('');
    const bad = run(['-d', path, '-e', 'signal "USR1']);
    expect(await bad.status).toBe(1);
    expect(bad.stderr()).toContain('Unmatched quote');
  });
});

describe('connection and usage failures', () => {
  it("exits 1 with einhornsh's hint when nothing listens, without a stack trace", async () => {
    const shell = run(['-d', `${dir}/missing.sock`, '-e', 'state']);
    expect(await shell.status).toBe(1);
    expect(shell.stderr()).toContain(
      `Could not connect to Einhorn master process:\n\n  Could not connect to the Einhorn master's command socket at ${dir}/missing.sock: no socket exists there (ENOENT)`,
    );
    expect(shell.stderr()).toContain('HINT: Are you sure you are running an Einhorn master?');
    expect(shell.stderr()).not.toMatch(/\n\s+at /);
  });

  it('uses -c NAME under TMPDIR for the default path', async () => {
    const shell = run(['-c', 'nope', '-e', 'state']);
    expect(await shell.status).toBe(1);
    expect(shell.stderr()).toContain(`${dir}/einhorn-nope.sock`);
  });

  it('exits 1 when the master closes the connection mid-reply', async () => {
    fake.on('upgrade', (request) => {
      request.reply('Upgrading smoothly, as commanded', { wait: true });
      request.closeConnection();
    });
    const shell = run(['-d', path, '-e', 'upgrade']);
    expect(await shell.status).toBe(1);
    expect(shell.stdout()).toBe('Upgrading smoothly, as commanded\n');
    expect(shell.stderr()).toContain('closed the connection before finishing its reply');
  });

  it.each([
    ['Upgrade failed: 3 workers of version 2 died before ACKing; the old workers are kept.'],
    ['Not upgrading: the master is shutting down'],
  ])('exits 1 when the upgrade ends with %j instead of "Upgrade done"', async (last) => {
    fake.on('upgrade', (request) => {
      request.reply('Upgrading smoothly, as commanded', { wait: true });
      request.reply(last);
    });
    const shell = run(['-d', path, '-e', 'upgrade; louder']);
    expect(await shell.status).toBe(1);
    expect(shell.stdout()).toBe(`Upgrading smoothly, as commanded\n${last}\nVerbosity set to 0\n`);
    expect(shell.stderr()).toBe(
      `einhornsh-node: the upgrade did not complete: expected "Upgrade done" but the master's last reply was ${JSON.stringify(last)}.\n`,
    );
  });

  it('control: exits 0 when the upgrade_fleet ends with "Upgrade done"; piped input exits 1 after a failed one', async () => {
    let fail = false;
    fake.on('upgrade_fleet', (request) => {
      request.reply('Upgrading fleet, as commanded', { wait: true });
      request.reply(fail ? 'Upgrade failed: breaker' : 'Upgrade done');
    });
    const ok = run(['-d', path, '-e', 'upgrade_fleet']);
    expect(await ok.status).toBe(0);
    fail = true;
    const quit = run(['-d', path, '-e', 'upgrade_fleet; quit']);
    expect(await quit.status).toBe(1);
    const piped = run(['-d', path]);
    piped.stdin.end('upgrade_fleet\nlouder\n');
    expect(await piped.status).toBe(1);
    expect(piped.stdout()).toContain('Verbosity set to'); // the lines after the failure still ran
  });

  it("renders the Ruby einhorn's YAML state as the table, and --json prints it as JSON", async () => {
    const yaml = readFileSync(
      join(import.meta.dirname, 'fixtures/einhorn-1.1.1-state.yaml'),
      'utf8',
    );
    fake.on('state', (request) => {
      request.reply(yaml); // einhorn ignores `format`, like the Ruby master
    });
    const table = run(['-d', path, '-e', 'state'], {
      now: () => Date.parse('2026-12-06T16:19:08.400Z'),
    });
    expect(await table.status).toBe(0);
    expect(table.stdout()).toBe(
      [
        'master pid: ?  version: 0  workers target: 2  upgrading: no',
        'PID    INDEX  VERSION  ACKED  SIGNALED  AGE    LAST PING',
        '19782  0      0        yes    -         1m00s  -',
        '19783  1      0        yes    -         1m00s  -',
        '',
      ].join('\n'),
    );
    const json = run(['-d', path, '--json', '-e', 'state']);
    expect(await json.status).toBe(0);
    const printed = JSON.parse(json.stdout()) as { state: Record<string, unknown> };
    expect(printed.state['config']).toEqual({ number: 2, backlog: 100, seconds: 1 });
    expect(printed.state['last_spinup']).toBe('2026-12-06T16:18:08.330Z');
    expect(fake.requests.map((r) => r.raw['format'])).toEqual([undefined, 'json']);
  });

  it('--json prints the JSON einhorn-node sends for format json', async () => {
    fake.on('state', (request) => {
      request.reply(
        request.raw['format'] === 'json' ? '{"state":{"children":{},"version":1}}' : '---\n:x: 1\n',
      );
    });
    const shell = run(['-d', path, '--json', '-e', 'state']);
    expect(await shell.status).toBe(0);
    expect(JSON.parse(shell.stdout())).toEqual({ state: { children: {}, version: 1 } });
    expect(fake.requests[0]?.raw).toEqual({ id: 1, command: 'state', args: [], format: 'json' });
  });

  it('prints the usage and exits 1 for two positional names; -h prints it and exits 0', async () => {
    const two = run(['a', 'b']);
    expect(await two.status).toBe(1);
    expect(two.stderr()).toContain('Usage: einhornsh-node [options] [cmd_name]');
    const help = run(['-h']);
    expect(await help.status).toBe(0);
    expect(help.stdout()).toContain('-e, --execute CMD_LINE_SEQ');
  });
});

describe('reading commands from stdin', () => {
  it('piped: no ehlo, no banner, no prompt; one line at a time until EOF', async () => {
    const shell = run(['-d', path]);
    shell.stdin.end('louder\ninc; quieter\n');
    expect(await shell.status).toBe(0);
    expect(fake.requests.map((r) => [r.command.command, r.id])).toEqual([
      ['louder', 1],
      ['inc', 2],
      ['quieter', 3],
    ]);
    expect(shell.stdout()).toBe(
      'Verbosity set to 0\nIncrementing number of workers from 1 -> 2\nVerbosity set to 1\n',
    );
    expect(shell.stderr()).toBe('');
  });

  it('check 54: interactive: ehlo without id to stderr, then the banner, the prompt, and Goodbye on quit', async () => {
    const shell = run(['-d', path], { interactive: true });
    await expect.poll(() => shell.stdout()).toBe('> ');
    expect(fake.requests[0]?.command).toEqual({
      command: 'ehlo',
      user: 'alice',
    });
    expect(fake.requests[0]?.id).toBeUndefined();
    expect(shell.stderr()).toBe(
      `Welcome, alice! You are speaking to Einhorn Master Process ${process.pid}.\nThis is Einhorn test.\n` +
        'Enter \'help\' if you\'re not sure what to do.\n\nType "quit" or "exit" to quit at any time\n',
    );
    shell.stdin.write('louder\n');
    await expect.poll(() => shell.stdout()).toBe('> Verbosity set to 0\n> ');
    expect(fake.requests[1]?.id).toBe(1);
    shell.stdin.write('exit\n');
    expect(await shell.status).toBe(0);
    expect(shell.stderr().endsWith('Goodbye!\n')).toBe(true);
  });

  it('interactive: an unmatched quote is reported and the prompt continues', async () => {
    const shell = run(['-d', path], { interactive: true });
    await expect.poll(() => shell.stdout()).toBe('> ');
    shell.stdin.write('signal "x\n');
    await expect.poll(() => shell.stderr()).toContain('Unmatched quote');
    shell.stdin.write('quit\n');
    expect(await shell.status).toBe(0);
  });

  it('interactive: keeps a bounded history file, owner-only', async () => {
    const historyPath = `${dir}/history`;
    const shell = run(['-d', path], {
      interactive: true,
      historyPath,
      terminal: true,
    });
    await expect.poll(() => shell.stdout()).toContain('> ');
    shell.stdin.write('louder\n');
    shell.stdin.write('quit\n');
    expect(await shell.status).toBe(0);
    await expect.poll(() => readFile(historyPath, 'utf8').catch(() => '')).toBe('louder\nquit\n');
    expect((await stat(historyPath)).mode & 0o777).toBe(0o600);
  });

  it('SIGINT (the abort signal) leaves with status 0, even in the middle of a stream', async () => {
    fake.on('upgrade', (request) => {
      request.reply('Upgrading smoothly, as commanded', { wait: true });
    });
    const shell = run(['-d', path, '-e', 'upgrade']);
    await expect.poll(() => shell.stdout()).toContain('Upgrading');
    shell.interrupt.abort();
    expect(await shell.status).toBe(0);
    expect(shell.stderr()).toBe('');
  });

  it('EOF at the interactive prompt leaves with status 0', async () => {
    const shell = run(['-d', path], { interactive: true });
    await expect.poll(() => shell.stdout()).toBe('> ');
    shell.stdin.end();
    expect(await shell.status).toBe(0);
  });
});
