import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import {
  closeSync,
  constants,
  mkdtempSync,
  openSync,
  readdirSync,
  readlinkSync,
  rmSync,
  statSync,
} from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeUnixSocket, findUnixSocket, inspectFd } from './fd-info.ts';

const dir = mkdtempSync(join(tmpdir(), 'einhorn-fd-info-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Runs `fn` while `process.platform` reads `platform` (what the code branches on). */
function onPlatform<T>(platform: NodeJS.Platform, fn: () => T): T {
  const original = Object.getOwnPropertyDescriptor(process, 'platform');
  if (original === undefined) throw new Error('process.platform has no descriptor');
  Object.defineProperty(process, 'platform', { ...original, value: platform });
  try {
    return fn();
  } finally {
    Object.defineProperty(process, 'platform', original);
  }
}

/** The first block device under /dev that this process may open read-only, if any. */
function openableBlockDevice(): string | undefined {
  for (const name of readdirSync('/dev')) {
    const path = `/dev/${name}`;
    try {
      if (!statSync(path).isBlockDevice()) continue;
      closeSync(openSync(path, 'r'));
      return path;
    } catch {
      // not permitted, or gone
    }
  }
  return undefined;
}

/** Socket fds this process holds, by inode, read from /proc/self/fd (Linux). */
function socketFds(): Map<number, number> {
  const fds = new Map<number, number>();
  for (const name of readdirSync('/proc/self/fd')) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${name}`));
      if (match) fds.set(Number(match[1]), Number(name));
    } catch {
      // the fd of readdir itself is gone by now
    }
  }
  return fds;
}

describe('inspectFd', () => {
  it('classifies a regular file without taking ownership of it', () => {
    const fd = openSync(join(dir, 'file'), 'w');
    expect(inspectFd(fd)).toEqual({ kind: 'not-socket', type: 'a regular file' });
    closeSync(fd); // still ours to close
  });

  it('reports a closed fd as closed, with the EBADF as cause', () => {
    const fd = openSync(join(dir, 'closed'), 'w');
    closeSync(fd);
    const info = inspectFd(fd);
    expect(info.kind).toBe('closed');
    expect(info.kind === 'closed' && (info.cause as NodeJS.ErrnoException).code).toBe('EBADF');
  });

  it('names the kind of every other file an fd can be', () => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const kinds: [string, number][] = [
      ['a pipe', openSync(fifo, constants.O_RDWR | constants.O_NONBLOCK)],
      ['a character device', openSync('/dev/null', 'r')],
      ['a directory', openSync(dir, 'r')],
    ];
    try {
      for (const [type, fd] of kinds) expect(inspectFd(fd)).toEqual({ kind: 'not-socket', type });
    } finally {
      for (const [, fd] of kinds) closeSync(fd);
    }
  });

  const blockDevice = process.platform === 'linux' ? openableBlockDevice() : undefined;
  it.runIf(blockDevice !== undefined)('names a block device', () => {
    const fd = openSync(blockDevice ?? '', 'r');
    try {
      expect(inspectFd(fd)).toEqual({ kind: 'not-socket', type: 'a block device' });
    } finally {
      closeSync(fd);
    }
  });

  it.runIf(process.platform === 'linux')(
    'says "not a socket" for an fd of no file type, such as the event loop\'s own epoll instance',
    () => {
      const anon = readdirSync('/proc/self/fd').find((name) => {
        try {
          return readlinkSync(`/proc/self/fd/${name}`) === 'anon_inode:[eventpoll]';
        } catch {
          return false;
        }
      });
      expect(anon).toBeDefined();
      expect(inspectFd(Number(anon))).toEqual({ kind: 'not-socket', type: 'not a socket' });
    },
  );

  it.runIf(process.platform === 'linux')('recognises a socket and reports its inode', async () => {
    const before = socketFds();
    const server = createServer().listen({ host: '127.0.0.1', port: 0 });
    await once(server, 'listening');
    const [inode, fd] = [...socketFds()].find(([ino]) => !before.has(ino)) ?? [0, -1];
    expect(inspectFd(fd)).toEqual({ kind: 'socket', inode });
    server.close();
  });
});

describe('describeUnixSocket (Linux /proc/net/unix)', () => {
  it.runIf(process.platform === 'linux')(
    'tells a listening UNIX socket from a connected one, and knows nothing of TCP sockets',
    async () => {
      const before = socketFds();
      const path = join(dir, 's.sock');
      const server = createServer().listen(path);
      await once(server, 'listening');
      const [listeningInode = 0] = [...socketFds()].find(([ino]) => !before.has(ino)) ?? [];
      const client = createConnection(path);
      await once(client, 'connect');
      const afterConnect = socketFds();
      expect(describeUnixSocket(listeningInode)).toEqual({
        type: 'stream',
        connected: false,
        listening: true,
      });
      const clientInodes = [...afterConnect.keys()].filter(
        (ino) => !before.has(ino) && ino !== listeningInode,
      );
      expect(clientInodes.map((ino) => describeUnixSocket(ino))).toContainEqual({
        type: 'stream',
        connected: true,
        listening: false,
      });
      const tcp = createServer().listen({ host: '127.0.0.1', port: 0 });
      await once(tcp, 'listening');
      const [tcpInode = 0] = [...socketFds()].find(([ino]) => !afterConnect.has(ino)) ?? [];
      expect(describeUnixSocket(tcpInode)).toBeUndefined();
      client.destroy();
      server.close();
      tcp.close();
    },
  );

  it('knows nothing outside Linux, where there is no /proc/net/unix', () => {
    expect(onPlatform('darwin', () => describeUnixSocket(1))).toBeUndefined();
  });

  it('parses the /proc/net/unix columns', () => {
    const text = [
      'Num       RefCount Protocol Flags    Type St Inode Path',
      '0000000000000000: 00000002 00000000 00010000 0001 01 34251 /tmp/listen.sock',
      '0000000000000000: 00000003 00000000 00000000 0001 03 34260',
      '0000000000000000: 00000002 00000000 00000000 0002 01 34270 /run/dgram',
      '0000000000000000: 00000002 00000000 00000000 0003 01 34280',
    ].join('\n');
    expect(findUnixSocket(text, 34251)).toEqual({
      type: 'stream',
      connected: false,
      listening: true,
    });
    expect(findUnixSocket(text, 34260)).toEqual({
      type: 'stream',
      connected: true,
      listening: false,
    });
    expect(findUnixSocket(text, 34270)).toEqual({
      type: 'dgram',
      connected: false,
      listening: false,
    });
    expect(findUnixSocket(text, 34280)).toEqual({
      type: 'other',
      connected: false,
      listening: false,
    });
    expect(findUnixSocket(text, 1)).toBeUndefined();
  });
});
