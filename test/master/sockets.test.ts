// Listening sockets: bound once, LISTEN from the start, never accepted by the master.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, listeningInode, NODE, runCli, startMaster, tempDir, WAIT } from './helpers.ts';
import type { FixtureEvent, MasterHandle } from './helpers.ts';

afterEach(cleanup);

const nodeVersion = spawnSync(NODE, ['-p', 'process.versions.node'], {
  encoding: 'utf8',
}).stdout.trim();
const [major = 0, minor = 0] = nodeVersion.split('.').map(Number);
const nodeHasReusePort =
  major > 23 || (major === 23 && minor >= 1) || (major === 22 && minor >= 12);

interface Client {
  readonly socket: Socket;
  readonly connected: Promise<void>;
  readonly reply: Promise<string>;
  readonly errors: string[];
}

function openClient(target: { port: number; host: string } | { path: string }): Client {
  const socket = 'path' in target ? connect(target.path) : connect(target.port, target.host);
  const errors: string[] = [];
  socket.on('error', (error: NodeJS.ErrnoException) => errors.push(error.code ?? error.message));
  const connected = new Promise<void>((resolve) => socket.once('connect', resolve));
  let data = '';
  socket.setEncoding('utf8').on('data', (chunk: string) => (data += chunk));
  const reply = new Promise<string>((resolve) => {
    socket.once('close', () => {
      resolve(data);
    });
  });
  return { socket, connected, reply, errors };
}

/**
 * Zero workers alive (each one crashes at once while a marker file exists): N clients connect
 * and complete the handshake into the kernel queue; none is refused or reset; once the marker is
 * gone a worker starts and serves every one of them, so the master never accepted any.
 */
async function neverAcceptsNeverRefuses(
  bind: string,
  target: (port: number) => { port: number; host: string } | { path: string },
): Promise<MasterHandle> {
  const marker = join(tmpdir(), `einhorn-broken-${process.pid}-${Date.now()}`);
  writeFileSync(marker, 'broken');
  try {
    const master = await startMaster({
      options: ['-b', bind, '-n', '1', '-m', 'manual', '-s', '0.05', '--max-failed-starts', '0'],
      env: { FIXTURE_CRASH_IF: marker, FIXTURE_LISTEN: '1', FIXTURE_ACK: 'manual' },
    });
    const state = await master.state();
    const clients = Array.from({ length: 20 }, () => openClient(target(state.bound_ports[0] ?? 0)));
    await Promise.all(clients.map((client) => client.connected));
    expect(master.events().filter((event: FixtureEvent) => event.event === 'listening')).toEqual(
      [],
    );
    unlinkSync(marker);
    const replies = await Promise.all(clients.map((client) => client.reply));
    const served = await master.waitForEvents((events) =>
      events.some((event) => event.event === 'listening'),
    );
    const worker = served.find((event) => event.event === 'listening')!.pid;
    expect(replies).toEqual(clients.map(() => `${worker}\n`));
    expect(clients.flatMap((client) => client.errors)).toEqual([]);
    return master;
  } finally {
    if (existsSync(marker)) unlinkSync(marker);
  }
}

describe('listening sockets', () => {
  it('check 5: an address einhorn cannot parse is refused with its name and a non-zero exit', async () => {
    for (const bad of [
      '::1:80',
      '127.0.0.1',
      '127.0.0.1:99999',
      '127.0.0.1:80,bogus',
      '[not-v6]:80',
    ]) {
      const result = await runCli(['-b', bad, '--', NODE, '-e', '0']);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain(`"${bad}"`);
      expect(result.stderr).toContain('ERR_EINHORN_BIND_INVALID');
    }
  });

  it('check 5 (beyond einhorn): [::1]:PORT is accepted and binds IPv6', async () => {
    const master = await startMaster({
      options: ['-b', '[::1]:0', '-n', '1', '-m', '0'],
      env: { FIXTURE_LISTEN: '1' },
    });
    const events = await master.waitForEvents((all) =>
      all.some((event) => event.event === 'listening'),
    );
    const address = events.find((event) => event.event === 'listening')!['address'] as {
      address: string;
      port: number;
    };
    expect(address.address).toBe('::1');
    expect(address.port).toBe((await master.state()).bound_ports[0]);
  });

  it('check 6: bound_ports holds the kernel-assigned port, the same the worker sees', async () => {
    const master = await startMaster({
      options: ['-b', '127.0.0.1:0', '-n', '1'],
      env: { FIXTURE_LISTEN: '1' },
    });
    const events = await master.waitForEvents((all) =>
      all.some((event) => event.event === 'listening'),
    );
    const state = await master.state();
    const address = events.find((event) => event.event === 'listening')!['address'] as {
      port: number;
    };
    expect(state.bound_ports).toHaveLength(1);
    expect(state.bound_ports[0]).toBeGreaterThan(0);
    expect(address.port).toBe(state.bound_ports[0]);
  });

  it('check 7: -l 7 gives Send-Q 7 under a worker that never calls listen()', async () => {
    const master = await startMaster({ options: ['-b', '127.0.0.1:0', '-l', '7', '-n', '1'] });
    const state = await master.waitForState((s) => Object.keys(s.children).length === 1);
    const port = state.bound_ports[0]!;
    const ss = spawnSync('ss', ['-ltnH', `sport = :${port}`], { encoding: 'utf8' })
      .stdout.trim()
      .split(/\s+/);
    expect(ss[0]).toBe('LISTEN');
    expect(ss[2]).toBe('7');
  });

  it('check 7: SO_REUSEADDR is 1 with and without r (libuv always sets it; documented)', async () => {
    const ruby = spawnSync('ruby', ['-e', '0']).status === 0;
    if (!ruby)
      throw new Error('this check reads getsockopt through Ruby, which the dev machine provides');
    for (const bind of ['127.0.0.1:0,r', '127.0.0.1:0']) {
      const master = await startMaster({
        options: ['-b', bind, '-n', '1', '-m', '0'],
        worker: [
          'ruby',
          '-rsocket',
          '-e',
          // Written whole, then renamed into place: the test never reads a half-written file.
          'path = File.join(ENV["FIXTURE_DIR"], "reuseaddr"); File.write("#{path}.tmp", Socket.for_fd(3).getsockopt(:SOCKET, :REUSEADDR).int.to_s); File.rename("#{path}.tmp", path); sleep',
        ],
      });
      const value = await vi.waitFor(
        () => readFileSync(join(master.dir, 'reuseaddr'), 'utf8'),
        WAIT,
      );
      expect(value).toBe('1');
    }
  });

  it('B7: the socket is LISTEN from bind on; with zero workers alive, connections queue, none is refused or stolen (TCP)', async () => {
    await neverAcceptsNeverRefuses('127.0.0.1:0', (port) => ({ host: '127.0.0.1', port }));
  });

  it('B7: the same for a UNIX socket path (beyond einhorn)', async () => {
    const path = join(tmpdir(), `einhorn-listen-${process.pid}-${Date.now()}.sock`);
    const master = await neverAcceptsNeverRefuses(path, () => ({ path }));
    expect(existsSync(path)).toBe(true);
    master.child.kill('SIGTERM');
    expect(await master.exited).toEqual({ code: 0, signal: null });
    expect(existsSync(path)).toBe(false);
  });

  it('the listener stays LISTEN with the same inode when every worker has died', async () => {
    const master = await startMaster({
      options: ['-b', '127.0.0.1:0', '-n', '1', '-m', '0', '-s', '0.05'],
    });
    const state = await master.waitForState((s) => Object.keys(s.children).length === 1);
    const port = state.bound_ports[0]!;
    const inode = listeningInode(port);
    process.kill(Number(Object.keys(state.children)[0]), 'SIGKILL');
    await master.waitForLog(/Exited worker \d+/);
    expect(listeningInode(port)).toBe(inode);
  });

  it.runIf(nodeHasReusePort)(
    'reuseport: each worker slot gets its own SO_REUSEPORT socket on one port, kept across upgrades',
    async () => {
      const master = await startMaster({
        options: ['-b', '127.0.0.1:0,reuseport', '-n', '2', '-m', 'manual', '-s', '0.05'],
        env: { FIXTURE_LISTEN: '1', FIXTURE_ACK: 'manual' },
      });
      const before = await master.waitForState(
        (s) => Object.values(s.children).filter((c) => c.acked).length === 2,
      );
      const slots = Object.values(before.children)
        .map((child) => child.slot)
        .sort();
      expect(slots).toEqual([0, 1]);
      const port = before.bound_ports[0]!;
      const listeners = spawnSync('ss', ['-ltnH', `sport = :${port}`], { encoding: 'utf8' })
        .stdout.trim()
        .split('\n');
      expect(listeners).toHaveLength(2);
      const slotInode = new Map(
        Object.values(before.children).map((child) => [
          child.slot,
          readlinkSync(`/proc/${child.pid}/fd/3`),
        ]),
      );
      expect(new Set(slotInode.values()).size).toBe(2);
      const replies = await Promise.all(
        Array.from({ length: 40 }, () => openClient({ host: '127.0.0.1', port }).reply),
      );
      expect(new Set(replies).size).toBe(2);
      const client = await master.client();
      const upgrade = await client.request('upgrade');
      expect(upgrade.at(-1)?.message).toBe('Upgrade done');
      const after = await master.waitForState(
        (s) =>
          Object.values(s.children).length === 2 &&
          Object.values(s.children).every((c) => c.version === 1 && c.acked),
      );
      for (const child of Object.values(after.children))
        expect(readlinkSync(`/proc/${child.pid}/fd/3`)).toBe(slotInode.get(child.slot));
    },
  );

  it.runIf(!nodeHasReusePort)(
    'reuseport: refused with ERR_EINHORN_REUSEPORT_UNSUPPORTED on a Node without it',
    async () => {
      const dir = tempDir();
      const result = await runCli([
        '-d',
        join(dir, 's.sock'),
        '-e',
        join(dir, 'p.pid'),
        '-f',
        join(dir, 'l.lock'),
        '-b',
        '127.0.0.1:0,reuseport',
        '--',
        NODE,
        '-e',
        '0',
      ]);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain('ERR_EINHORN_REUSEPORT_UNSUPPORTED');
    },
  );
});
