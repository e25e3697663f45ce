// Security checks against a real einhorn-node master (built dist/cli.cjs) with a real HTTP worker.
//
// Not tested here, on purpose: a connection from ANOTHER uid. Telling who is on the other end of
// a unix socket needs SO_PEERCRED (getsockopt), which Node cannot read without native code, so
// einhorn-node (like einhorn) cannot check the peer's uid or pid. Access control is the socket
// file's mode (0600) and its directory's, which are checked below; the consequence (any process
// that can open the socket can ACK any worker) is pinned in 'a spoofed ACK ...'.
import { spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from './fuzz-runner.ts';
import { CLI, HTTP_WORKER, NODE, httpGet, startMaster, until } from './master-process.ts';
import type { MasterState, RunningMaster } from './master-process.ts';
import { runProbe } from './probe-client.ts';
import { wholeProbe, textLine } from './known-killers.ts';

const masters: RunningMaster[] = [];
const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(masters.splice(0).map((master) => master.destroy()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function master(options: Parameters<typeof startMaster>[0] = {}): Promise<RunningMaster> {
  const started = await startMaster(options);
  masters.push(started);
  return started;
}

/** Runs einhorn-node until it exits (for start-up refusals). */
function runCli(
  args: readonly string[],
): Promise<{ readonly code: number | null; readonly stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(NODE, [CLI, ...args, '--', NODE, HTTP_WORKER], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('close', (code) => {
      resolve({ code, stderr });
    });
  });
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'einhorn-sec-'));
  dirs.push(dir);
  return dir;
}

/** Sends one line; resolves with the raw bytes received once the master closes or `reply` is complete. */
async function send(
  path: string,
  line: string,
): Promise<{ readonly kind: string; readonly messages: readonly string[] }> {
  const outcome = await runProbe(
    path,
    wholeProbe(textLine('valid', line, line.includes('worker:'))),
    { sentinelId: 'sec', maxLineBytes: 1 << 20, timeoutMs: 30_000 },
  );
  return {
    kind: outcome.kind,
    messages: outcome.replies
      .filter((reply) => reply.request_id !== 'sec')
      .map((reply) => reply.message),
  };
}

function fleet(state: MasterState): unknown {
  return {
    children: Object.keys(state.children).sort(),
    number: state.config.number,
    version: state.version,
  };
}

describe('security: the command socket file', () => {
  it('is created owner-only (0600, our uid) even under umask 000, in an owner-only directory', async () => {
    const previousUmask = process.umask(0); // inherited by the master: the mode must not depend on it
    let running: RunningMaster;
    try {
      running = await master();
    } finally {
      process.umask(previousUmask);
    }
    const socket = lstatSync(running.socketPath);
    expect(socket.isSocket()).toBe(true);
    expect((socket.mode & 0o777).toString(8)).toBe('600');
    expect(socket.uid).toBe(process.getuid?.());
    expect((statSync(running.dir).mode & 0o077).toString(8)).toBe('0');
    expect((statSync(join(running.dir, 'einhorn.lock')).mode & 0o077).toString(8)).toBe('0');
    expect(statSync(join(running.dir, 'einhorn.pid')).mode & 0o022).toBe(0); // nobody else can point admin scripts at another pid
  });

  it('is refused in a world-writable directory without the sticky bit (anyone could swap it), accepted with the sticky bit', async () => {
    const open = tempDir();
    chmodSync(open, 0o777);
    const refused = await runCli([
      '-d',
      join(open, 'einhorn.sock'),
      '-e',
      join(open, 'p'),
      '-f',
      join(open, 'l'),
    ]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('world-writable without the sticky bit');
    expect(existsSync(join(open, 'einhorn.sock'))).toBe(false);

    const sticky = await master({
      socketPath: (dir) => (chmodSync(dir, 0o1777), join(dir, 'einhorn.sock')),
    });
    expect((lstatSync(sticky.socketPath).mode & 0o777).toString(8)).toBe('600');
  });

  it('a symlink planted at the socket path is refused and neither it nor its target is touched', async () => {
    const dir = tempDir();
    const target = join(dir, 'precious.txt');
    writeFileSync(target, 'do not touch\n');
    symlinkSync(target, join(dir, 'einhorn.sock'));
    const result = await runCli([
      '-d',
      join(dir, 'einhorn.sock'),
      '-e',
      join(dir, 'p'),
      '-f',
      join(dir, 'l'),
    ]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/non-socket file/);
    expect(lstatSync(join(dir, 'einhorn.sock')).isSymbolicLink()).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe('do not touch\n');
  });
});

describe('security: messages on the command socket', () => {
  let running: RunningMaster;
  let port: number;
  let before: MasterState;

  beforeAll(async () => {
    running = await master();
    before = await running.state();
    port = before.bound_ports[0] ?? 0;
  });

  it('check 24: an ACK and a ping for a pid that is not our child are ignored (no reply, closed) and logged', async () => {
    const stranger = process.pid; // alive, but not the master's child
    expect(await send(running.socketPath, `{"command":"worker:ack","pid":${stranger}}`)).toEqual({
      kind: 'closed',
      messages: [],
    });
    expect(
      await send(
        running.socketPath,
        `{"command":"worker:ping","pid":${stranger},"request_id":"r1"}`,
      ),
    ).toEqual({ kind: 'closed', messages: [] });
    await until(
      () =>
        running.stderr().includes(`Could not find state for PID ${stranger}; ignoring ACK.`)
          ? true
          : undefined,
      'the ACK log line',
    );
    await until(
      () =>
        running.stderr().includes(`Could not find state for PID ${stranger}; ignoring ping.`)
          ? true
          : undefined,
      'the ping log line',
    );
    // A worker that asks for confirmation (einhorn-node extension, P10) is told, then closed.
    expect(
      await send(running.socketPath, `{"command":"worker:ack","pid":${stranger},"confirm":true}`),
    ).toEqual({
      kind: 'closed',
      messages: [`Not ACKed: no worker with pid ${stranger} is known to this master.`],
    });
    expect(fleet(await running.state())).toEqual(fleet(before));
  });

  it('no line can make the master execute code, read a file or pollute prototypes', async () => {
    const dir = tempDir();
    const marker = join(dir, 'pwned');
    const cmd = `touch ${marker}`;
    const lines = [
      `--- !ruby/object:Gem::Installer {i: x}`,
      `!!python/object/apply:os.system [${JSON.stringify(cmd)}]`,
      `{"command":"config","args":[${JSON.stringify(`!!python/object/apply:os.system [${JSON.stringify(cmd)}]`)}],"id":1}`,
      `{"command":"config","args":["--- !ruby/object:Object {}"],"id":2}`,
      `{"command":"config","args":[${JSON.stringify(`{number: !!js/function "function(){require('fs').writeFileSync('${marker}','x')}"}`)}],"id":3}`,
      `{"command":"config","args":["{\\"__proto__\\":{\\"polluted\\":1}}"],"id":4}`,
      `{"command":"config","args":["{constructor: {prototype: {polluted: 1}}}"],"id":5}`,
      `{"command":"config","args":["{include: /etc/passwd}"],"id":6}`,
      `{"command":"config","args":["!include /etc/passwd"],"id":7}`,
      `{"command":"ehlo","user":"$(${cmd})","id":8}`,
      `{"command":"ehlo","user":"\`${cmd}\`","id":9}`,
      `{"command":"signal","args":["$(${cmd})"],"id":10}`,
      `{"command":"set_workers","args":["1; ${cmd}"],"id":11}`,
      `{"command":"../../../../etc/passwd","id":12}`,
      `{"command":"state","id":"<<: *a"}`,
    ];
    const replies: string[] = [];
    for (const line of lines) {
      const { kind, messages } = await send(running.socketPath, line);
      expect(kind, line).toBe('answered');
      replies.push(...messages);
    }
    expect(existsSync(marker)).toBe(false);
    expect(replies.join('\n')).not.toMatch(/root:.*:0:0:/);
    expect(replies.filter((message) => message.startsWith('Successfully merged'))).toEqual([]);
    expect(fleet(await running.state())).toEqual(fleet(before));
    expect(await httpGet(port)).toMatch(/^ok \d+\n$/);
  });

  it('P18: config is validated — only known run-time settings are merged, everything else is refused and changes nothing', async () => {
    const config = async (args: readonly string[] | string | undefined): Promise<string> =>
      (
        await request(
          running.socketPath,
          JSON.stringify({
            command: 'config',
            id: 1,
            ...(args === undefined ? {} : { args }),
          }),
        )
      ).message;
    expect(await config(undefined)).toBe('No args provided');
    expect(await config([])).toBe('Must pass in a YAML-encoded hash');
    expect(await config('{number: 2}')).toBe('Args must be an array');
    expect(await config(['[1, 2]'])).toBe('Parsed argument is a Array, not a hash');
    expect(await config(['{unclosed'])).toBe(
      'Could not parse argument. Must be a YAML-encoded hash',
    );
    expect(await config(['{children: {}}'])).toMatch(/^Refusing config: unknown key "children"/);
    expect(await config(['{:respawn: false}'])).toMatch(/^Refusing config: unknown key "respawn"/);
    expect(await config(['{ack_mode: {type: timer}}'])).toMatch(
      /^Refusing config: unknown key "ack_mode"/,
    );
    expect(await config(['{number: 0}'])).toMatch(/^Refusing config: "number" is invalid/);
    expect(await config(['{number: "1; rm -rf /"}'])).toMatch(
      /^Refusing config: "number" is invalid/,
    );
    expect(fleet(await running.state())).toEqual(fleet(before));
    // A valid change is merged into the config (not into the top of the state, unlike einhorn).
    expect(await config(['{seconds: 2}'])).toBe('Successfully merged in config: {"seconds":2}');
    const after = await running.state();
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
    expect(fleet(after)).toEqual(fleet(before));
  });

  it('a spoofed ACK from any process that can open the socket IS accepted (no SO_PEERCRED in Node): the 0600 mode is the only guard', async () => {
    const slow = await master({
      acked: 0,
      env: { CHAOS_SLOW_START_PCT: '100', CHAOS_SLOW_START_MS: '600000' },
    });
    const [pid] = Object.keys((await slow.state()).children).map(Number);
    expect(pid).toBeGreaterThan(0);
    expect(await send(slow.socketPath, `{"command":"worker:ack","pid":${pid}}`)).toEqual({
      kind: 'closed',
      messages: [],
    });
    await slow.waitForState((state) => state.children[String(pid)]?.acked === true);
  });
});
