// What einhorn-node gives a worker: environment, fds and indexes.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  cleanup,
  isAlive,
  listeningInode,
  NODE,
  startMaster,
  startedPids,
  WAIT,
  WORKER,
} from './helpers.ts';
import type { FixtureEvent } from './helpers.ts';

afterEach(cleanup);

const O_CLOEXEC = 0o2000000;

/** The `flags:` of one fd of `pid`, or undefined if the fd was closed meanwhile. */
function fdFlags(pid: number, fd: number): number | undefined {
  let info: string;
  try {
    info = readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return parseInt(/flags:\s+(\d+)/.exec(info)?.[1] ?? '0', 8);
}

/**
 * fds above 2 the master holds without close-on-exec: only what it inherited itself (P8). Those
 * stay open for the master's life; an fd that closes between listing and reading (a command
 * connection, a spawn pipe) is a transient one of its own, not an inherited one.
 */
function inheritedFds(pid: number): number[] {
  return readdirSync(`/proc/${pid}/fd`)
    .map(Number)
    .filter((fd) => fd > 2)
    .filter((fd) => {
      const flags = fdFlags(pid, fd);
      return flags !== undefined && (flags & O_CLOEXEC) === 0;
    })
    .sort((a, b) => a - b);
}

function starts(events: readonly FixtureEvent[]): FixtureEvent[] {
  return events.filter((event) => event.event === 'start');
}

describe('worker environment', () => {
  it('check 1: two -b sockets reach the worker in order, with master pid, verbatim socket path and index 0', async () => {
    const master = await startMaster({
      socketArg: 'rel.sock',
      options: ['-b', '127.0.0.1:0', '-b', '127.0.0.1:0', '-n', '1'],
    });
    const [start] = starts(await master.waitForEvents((events) => starts(events).length === 1));
    const state = await master.state();
    const env = start!['env'] as Record<string, string>;
    expect(env['EINHORN_FD_COUNT']).toBe('2');
    expect(env['EINHORN_MASTER_PID']).toBe(String(master.pid));
    expect(start!['ppid']).toBe(master.pid);
    expect(env['EINHORN_SOCK_PATH']).toBe('rel.sock');
    expect(env['EINHORN_CHILD_INDEX']).toBe('0');
    const fds = start!['fds'] as { fd: number; socket: boolean; link: string }[];
    expect(fds.map((fd) => fd.fd)).toEqual([
      Number(env['EINHORN_FD_0']),
      Number(env['EINHORN_FD_1']),
    ]);
    expect(state.bound_ports).toHaveLength(2);
    // fd i of the worker is the LISTEN socket of the i-th -b (compared by socket inode).
    state.bound_ports.forEach((port, i) => {
      expect(fds[i]!.socket).toBe(true);
      expect(fds[i]!.link).toBe(`socket:[${listeningInode(port) ?? 'none'}]`);
    });
    expect(env['EINHORN_SOCK_FD']).toBeUndefined();
  });

  it('check 2: without -b, EINHORN_FD_COUNT=0 and no EINHORN_FD_0 (legacy EINHORN_FDS is "")', async () => {
    const master = await startMaster({ options: ['-n', '1'] });
    const [start] = starts(await master.waitForEvents((events) => starts(events).length === 1));
    const env = start!['env'] as Record<string, string>;
    expect(env['EINHORN_FD_COUNT']).toBe('0');
    expect(env).not.toHaveProperty('EINHORN_FD_0');
    expect(env['EINHORN_FDS']).toBe('');
  });

  it('check 3: a replacement takes the lowest free index', async () => {
    const master = await startMaster({ options: ['-n', '3', '-m', '0.1', '-s', '0.1'] });
    const state = await master.waitForState(
      (s) => Object.values(s.children).filter((c) => c.acked).length === 3,
    );
    const byIndex = Object.values(state.children).sort((a, b) => a.index - b.index);
    expect(byIndex.map((child) => child.index)).toEqual([0, 1, 2]);
    process.kill(byIndex[1]!.pid, 'SIGKILL');
    const after = await master.waitForState(
      (s) => Object.keys(s.children).length === 3 && !(String(byIndex[1]!.pid) in s.children),
    );
    const replacement = Object.values(after.children).find(
      (child) => ![byIndex[0]!.pid, byIndex[2]!.pid].includes(child.pid),
    );
    expect(replacement?.index).toBe(1);
    const events = await master.waitForEvents((all) =>
      starts(all).some((event) => event.pid === replacement?.pid),
    );
    const env = starts(events).find((event) => event.pid === replacement?.pid)?.['env'] as Record<
      string,
      string
    >;
    expect(env['EINHORN_CHILD_INDEX']).toBe('1');
  });

  it('check 57 / P13: stale EINHORN_* variables of the master never reach workers', async () => {
    const master = await startMaster({
      options: ['-n', '1'],
      env: {
        EINHORN_SOCK_FD: '99',
        EINHORN_FD_3: '42',
        EINHORN_FDS: '7 9',
        EINHORN_MASTER_PID: '1',
        EINHORN_APP_SETTING: 'blue',
      },
    });
    const [start] = starts(await master.waitForEvents((events) => starts(events).length === 1));
    const env = start!['env'] as Record<string, string>;
    expect(env['EINHORN_SOCK_FD']).toBeUndefined();
    expect(env['EINHORN_FD_3']).toBeUndefined();
    expect(env['EINHORN_FDS']).toBe('');
    expect(env['EINHORN_MASTER_PID']).toBe(String(master.pid));
    // (The test runner's own EINHORN_TEST_* variables pass through like EINHORN_APP_SETTING.)
    const names = Object.keys(env).filter((name) => !name.startsWith('EINHORN_TEST_'));
    expect(names.sort()).toEqual([
      'EINHORN_APP_SETTING',
      'EINHORN_CHILD_INDEX',
      'EINHORN_FDS',
      'EINHORN_FD_COUNT',
      'EINHORN_MASTER_PID',
      'EINHORN_SOCK_PATH',
    ]);
    // The user's own EINHORN_* variables pass through, as in einhorn.
    expect(env['EINHORN_APP_SETTING']).toBe('blue');
  });

  it('argv[0] is the absolute path resolved at start (which)', async () => {
    const master = await startMaster({
      options: ['-n', '1'],
      worker: ['node', WORKER],
      env: { PATH: `${NODE.slice(0, NODE.lastIndexOf('/'))}:/usr/bin:/bin` },
    });
    const [start] = starts(await master.waitForEvents((events) => starts(events).length === 1));
    expect(start!['argv0']).toBe(NODE);
  });

  it('check 51: a worker inherits only 0, 1, 2 and the listeners', async () => {
    // /bin/sleep opens no fds of its own, so its fd table is exactly what the master passed.
    const master = await startMaster({
      options: ['-b', '127.0.0.1:0', '-b', '127.0.0.1:0', '-n', '1', '-m', '0'],
      worker: ['sleep', '1000'],
    });
    const state = await master.waitForState((s) => Object.keys(s.children).length === 1);
    const pid = Number(Object.keys(state.children)[0]);
    const fds = readdirSync(`/proc/${pid}/fd`)
      .map(Number)
      .sort((a, b) => a - b);
    expect(fds).toEqual([0, 1, 2, 3, 4, ...inheritedFds(master.pid)]);
    expect(readlinkSync(`/proc/${pid}/fd/3`)).toBe(
      `socket:[${listeningInode(state.bound_ports[0]!) ?? 'none'}]`,
    );
    expect(readlinkSync(`/proc/${pid}/fd/4`)).toBe(
      `socket:[${listeningInode(state.bound_ports[1]!) ?? 'none'}]`,
    );
    process.kill(pid, 'SIGKILL');
    await vi.waitFor(() => {
      expect(isAlive(pid)).toBe(false);
    }, WAIT);
  });

  it('workers run in their own process group (pgid = pid)', async () => {
    const master = await startMaster({
      options: ['-n', '1', '-m', '0'],
      worker: ['sleep', '1000'],
    });
    const state = await master.waitForState((s) => Object.keys(s.children).length === 1);
    const pid = Number(Object.keys(state.children)[0]);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    expect(Number(fields[2])).toBe(pid);
    expect(Number(fields[1])).toBe(master.pid);
    process.kill(pid, 'SIGKILL');
  });

  it('P1: with -g the worker gets a LIVE command-socket connection as EINHORN_SOCK_FD and can ACK through it', async () => {
    const master = await startMaster({
      options: ['-g', '-m', 'manual', '-n', '1'],
      env: { FIXTURE_ACK: 'fd' },
    });
    const events = await master.waitForEvents((all) =>
      all.some((event) => event.event === 'acked'),
    );
    const start = starts(events)[0]!;
    const env = start['env'] as Record<string, string>;
    expect(env['EINHORN_SOCK_FD']).toBe('3');
    expect(start['sockFd']).toMatchObject({ fd: 3, open: true, socket: true });
    const state = await master.waitForState((s) =>
      Object.values(s.children).some((child) => child.acked),
    );
    expect(Object.keys(state.children)).toEqual([String(startedPids(events)[0])]);
  });
});
