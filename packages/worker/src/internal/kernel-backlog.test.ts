import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findBacklogInSsOutput, readKernelBacklog } from './kernel-backlog.ts';

const hasSs =
  process.platform === 'linux' &&
  ['/usr/sbin/ss', '/sbin/ss', '/usr/bin/ss', '/bin/ss'].some((path) => existsSync(path));

function newSocketInode(before: ReadonlySet<string>): number {
  for (const name of readdirSync('/proc/self/fd')) {
    try {
      const link = readlinkSync(`/proc/self/fd/${name}`);
      if (!before.has(link) && link.startsWith('socket:[')) return Number(link.slice(8, -1));
    } catch {
      // gone
    }
  }
  throw new Error('no new socket fd');
}

function socketLinks(): Set<string> {
  return new Set(
    readdirSync('/proc/self/fd').flatMap((name) => {
      try {
        return [readlinkSync(`/proc/self/fd/${name}`)];
      } catch {
        return [];
      }
    }),
  );
}

describe('findBacklogInSsOutput', () => {
  const output = [
    'Netid State  Recv-Q Send-Q Local Address:Port  Peer Address:Port Process',
    'u_str LISTEN 0      9      /tmp/exp/u.sock 34251       * 0 <-> ino:2164770 dev:0/65024 peers:',
    'tcp   LISTEN 0      128            0.0.0.0:2024  0.0.0.0:* ino:1146 sk:5 cgroup:/ <->',
    'tcp   LISTEN 3      7            127.0.0.1:42087 0.0.0.0:* ino:34250 sk:6 cgroup:/ <->',
  ].join('\n');

  it('finds a TCP listener by its ino: field and returns Send-Q, the backlog', () => {
    expect(findBacklogInSsOutput(output, 34250)).toBe(7);
    expect(findBacklogInSsOutput(output, 1146)).toBe(128);
  });

  it('finds a UNIX listener by the inode in its local-address column, not the path inode', () => {
    expect(findBacklogInSsOutput(output, 34251)).toBe(9);
    expect(findBacklogInSsOutput(output, 2164770)).toBeUndefined();
  });

  it('returns undefined for an inode that is not listening', () => {
    expect(findBacklogInSsOutput(output, 5)).toBeUndefined();
  });
});

describe('readKernelBacklog', () => {
  it('resolves undefined without running anything outside Linux', async () => {
    const original = Object.getOwnPropertyDescriptor(process, 'platform');
    if (original === undefined) throw new Error('process.platform has no descriptor');
    Object.defineProperty(process, 'platform', { ...original, value: 'darwin' });
    let pending: Promise<number | undefined>;
    try {
      pending = readKernelBacklog(1);
    } finally {
      Object.defineProperty(process, 'platform', original);
    }
    expect(await pending).toBeUndefined();
  });

  it.runIf(hasSs)('reads the backlog the kernel applies to a real TCP listener', async () => {
    const before = socketLinks();
    const server = createServer().listen({ host: '127.0.0.1', port: 0, backlog: 13 });
    await once(server, 'listening');
    expect(await readKernelBacklog(newSocketInode(before))).toBe(13);
    server.close();
  });

  it.runIf(hasSs)('reads the backlog of a real UNIX listener', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'einhorn-backlog-'));
    const before = socketLinks();
    const server = createServer().listen({ path: join(dir, 'l.sock'), backlog: 17 });
    await once(server, 'listening');
    expect(await readKernelBacklog(newSocketInode(before))).toBe(17);
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.runIf(hasSs)('resolves undefined for a socket inode that is not listening', async () => {
    expect(await readKernelBacklog(1)).toBeUndefined();
  });
});
