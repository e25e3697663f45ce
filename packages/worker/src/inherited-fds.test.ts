import { spawn } from 'node:child_process';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { once } from 'node:events';
import { existsSync, fstatSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, get } from 'node:http';
import type { Server } from 'node:http';
import { createConnection, createServer as createNetServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ack } from './ack.ts';
import { channels } from './diagnostics.ts';
import { readKernelBacklog } from './internal/ss.test-helpers.ts';
import { listenOnFd } from './listen-on-fd.ts';

// The successful paths, in this process: a child process plays the master's part of creating
// a socket and hands the fd over (SCM_RIGHTS over the IPC channel), as einhorn hands its fds
// down to a worker, so that this process holds an fd that no handle of its event loop watches.
// (test/worker runs the same paths in real worker processes.)
const hasSs =
  process.platform === 'linux' &&
  ['/usr/sbin/ss', '/sbin/ss', '/usr/bin/ss', '/bin/ss'].some((path) => existsSync(path));
const STATE_KEY = Symbol.for('einhorn.worker.state');
const dir = mkdtempSync(join(tmpdir(), 'einhorn-inherited-'));
let counter = 0;

/**
 * The raw handles the fds arrived in. Never closed: the fd now belongs to the code under test,
 * which closes it, and closing the wrapper too would close whatever fd reuses the number.
 */
const received: unknown[] = [];

const DONOR = `
const net = require('node:net');
const spec = JSON.parse(process.argv[1]);
// Exiting drops this process's copy of the fd; closing the server would unlink a UNIX path.
const hand = (socket, info) => process.send(info, socket._handle, () => process.exit(0));
if (spec.listen) {
  const server = net.createServer().listen(spec.listen, () => hand(server, { address: server.address() }));
} else {
  const socket = net.createConnection(spec.connect, () => hand(socket, {}));
}
`;

type DonorSpec =
  | {
      readonly listen:
        { host: string; port: 0; backlog: number } | { path: string; backlog: number };
    }
  | { readonly connect: string };

interface RawHandle {
  readonly fd: number;
  close(): void;
}

/** Has a child process create the socket `spec` describes and hand its fd to this process. */
async function inherit(
  spec: DonorSpec,
): Promise<{ fd: number; handle: RawHandle; address?: AddressInfo | string }> {
  const child = spawn(process.execPath, ['-e', DONOR, JSON.stringify(spec)], {
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = once(child, 'exit');
  const [message, handle] = (await Promise.race([
    once(child, 'message'),
    exited.then(() => {
      throw new Error(`the fd donor exited without handing an fd over: ${stderr}`);
    }),
  ])) as [{ address?: AddressInfo | string }, RawHandle];
  received.push(handle);
  await exited; // its copy of the fd is closed: ours is the only one
  return { fd: handle.fd, handle, ...message };
}

const worker = (extra: Record<string, string>, masterPid = 4242) => ({
  env: { EINHORN_MASTER_PID: String(masterPid), ...extra },
  ppid: masterPid,
});

/**
 * A live process whose command line reads like an einhorn-node master started with `-l 37`
 * (`/proc/<pid>/cmdline` is what the SDK reads), to stand in as this worker's master.
 */
async function einhornNodeLookalike(): Promise<number> {
  const child = spawn(
    process.execPath,
    [
      '-e',
      'setInterval(() => {}, 1 << 30)',
      '/opt/einhorn-node',
      '-n',
      '2',
      '-l',
      '37',
      '--',
      'node',
      'app.js',
    ],
    { stdio: 'ignore' },
  );
  cleanups.push(() => child.kill());
  await once(child, 'spawn');
  return child.pid ?? 0;
}

function fetchText(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        resolve(body);
      });
    }).on('error', reject);
  });
}

function record(name: string): { messages: unknown[]; stop: () => void } {
  const messages: unknown[] = [];
  const listener = (message: unknown): void => {
    messages.push(message);
  };
  subscribe(name, listener);
  return {
    messages,
    stop: () => {
      unsubscribe(name, listener);
    },
  };
}

const cleanups: (() => unknown)[] = [];
beforeEach(() => {
  Reflect.deleteProperty(globalThis, STATE_KEY);
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function closeServer(server: Server): Promise<void> {
  if (!server.listening) return;
  server.closeAllConnections();
  server.close();
  await once(server, 'close');
}

describe.runIf(hasSs)('listenOnFd on an inherited listener', () => {
  it('check 33: adopts a TCP listener, keeps the master backlog and publishes the adoption', async () => {
    const { fd, address } = await inherit({
      listen: { host: '127.0.0.1', port: 0, backlog: 37 },
    });
    const master = await einhornNodeLookalike();
    const server = createServer((_req, res) => res.end(`worker ${process.pid}`));
    cleanups.push(() => closeServer(server));
    const adopted = record(channels.adopt);
    try {
      expect(
        await listenOnFd(
          server,
          worker({ EINHORN_FD_COUNT: '1', EINHORN_FD_0: String(fd) }, master),
        ),
      ).toBe(server);
    } finally {
      adopted.stop();
    }
    expect(adopted.messages).toEqual([
      { fd, index: 0, backlog: 37, backlogSource: 'command-line' },
    ]);
    expect((server.address() as AddressInfo).port).toBe((address as AddressInfo).port);
    expect(await readKernelBacklog(fstatSync(fd).ino)).toBe(37);
    expect(await fetchText((address as AddressInfo).port)).toBe(`worker ${process.pid}`);
  });

  it('applies the backlog option instead, and adopts a UNIX listener by index', async () => {
    const path = join(dir, `listen-${++counter}.sock`);
    const { fd } = await inherit({ listen: { path, backlog: 37 } });
    const server = createNetServer((socket) => socket.end('hello'));
    cleanups.push(() => {
      server.close();
    });
    const adopted = record(channels.adopt);
    try {
      await listenOnFd(server, {
        ...worker({ EINHORN_FD_COUNT: '2', EINHORN_FD_0: '0', EINHORN_FD_1: String(fd) }),
        index: 1,
        backlog: 64,
      });
    } finally {
      adopted.stop();
    }
    expect(adopted.messages).toEqual([{ fd, index: 1, backlog: 64, backlogSource: 'option' }]);
    expect(await readKernelBacklog(fstatSync(fd).ino)).toBe(64);
    const client = createConnection(path).setEncoding('utf8');
    const [greeting] = (await once(client, 'data')) as [string];
    expect(greeting).toBe('hello');
    client.destroy();
  });

  it('aborted while the listen is in flight: closes the server and rejects with the reason', async () => {
    const { fd } = await inherit({ listen: { host: '127.0.0.1', port: 0, backlog: 37 } });
    const server = createServer();
    const controller = new AbortController();
    const reason = new Error('shutting down');
    // The signal fires between server.listen() and its outcome.
    const listen = server.listen.bind(server) as (...args: unknown[]) => Server;
    server.listen = ((...args: unknown[]) => {
      const result = listen(...args);
      controller.abort(reason);
      return result;
    }) as Server['listen'];
    const adopted = record(channels.adopt);
    try {
      await expect(
        listenOnFd(server, {
          ...worker({ EINHORN_FD_COUNT: '1', EINHORN_FD_0: String(fd) }),
          signal: controller.signal,
        }),
      ).rejects.toBe(reason);
    } finally {
      adopted.stop();
    }
    expect(server.listening).toBe(false);
    expect(adopted.messages).toEqual([]);
  });
});

/** A command socket in this process that closes each connection after the first line. */
async function fakeMaster(): Promise<{ path: string; lines: string[]; accepted: Socket[] }> {
  const path = join(dir, `cmd-${++counter}.sock`);
  const lines: string[] = [];
  const accepted: Socket[] = [];
  const server = createNetServer((socket) => {
    accepted.push(socket);
    let buffer = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      const parts = buffer.split('\n');
      buffer = parts.pop() ?? '';
      lines.push(...parts);
      if (parts.length > 0) socket.end();
    });
  });
  server.listen(path);
  await once(server, 'listening');
  cleanups.push(() => {
    for (const socket of accepted) socket.destroy();
    server.close();
  });
  return { path, lines, accepted };
}

describe.runIf(process.platform === 'linux')('ack through an inherited EINHORN_SOCK_FD', () => {
  async function connectedFd(): Promise<{
    fd: number;
    handle: RawHandle;
    master: Awaited<ReturnType<typeof fakeMaster>>;
  }> {
    const master = await fakeMaster();
    const { fd, handle } = await inherit({ connect: master.path });
    return { fd, handle, master };
  }

  it("via 'fd' writes the worker:ack line on it and resolves once the master closes it", async () => {
    const { fd, master } = await connectedFd();
    const acks = record(channels.ack);
    try {
      await ack({
        ...worker({ EINHORN_FD_COUNT: '0', EINHORN_SOCK_FD: String(fd) }),
        via: 'fd',
      });
    } finally {
      acks.stop();
    }
    expect(master.lines).toEqual([`{"command":"worker:ack","pid":${process.pid}}`]);
    expect(acks.messages).toEqual([{ command: 'worker:ack', pid: process.pid, via: 'fd' }]);
  });

  it("'auto' uses the fd when EINHORN_SOCK_PATH is not set", async () => {
    const { fd, master } = await connectedFd();
    await ack(worker({ EINHORN_FD_COUNT: '0', EINHORN_SOCK_FD: String(fd) }));
    expect(master.lines).toEqual([`{"command":"worker:ack","pid":${process.pid}}`]);
  });

  it("'auto' falls back to the fd when the EINHORN_SOCK_PATH socket does not exist (ENOENT)", async () => {
    const { fd, master } = await connectedFd();
    const acks = record(channels.ack);
    try {
      await ack(
        worker({
          EINHORN_FD_COUNT: '0',
          EINHORN_SOCK_PATH: join(dir, 'gone.sock'),
          EINHORN_SOCK_FD: String(fd),
        }),
      );
    } finally {
      acks.stop();
    }
    expect(master.lines).toEqual([`{"command":"worker:ack","pid":${process.pid}}`]);
    expect(acks.messages).toEqual([{ command: 'worker:ack', pid: process.pid, via: 'fd' }]);
  });

  it("'path' does not fall back: the ENOENT is the error, and the fd stays unused", async () => {
    const { fd, handle, master } = await connectedFd();
    const missing = join(dir, 'gone.sock');
    await expect(
      ack({
        ...worker({
          EINHORN_FD_COUNT: '0',
          EINHORN_SOCK_PATH: missing,
          EINHORN_SOCK_FD: String(fd),
        }),
        via: 'path',
      }),
    ).rejects.toMatchObject({
      code: 'ERR_EINHORN_ACK_CONNECT',
      details: { path: missing, errno: 'ENOENT' },
    });
    expect(master.lines).toEqual([]);
    expect(fstatSync(fd).isSocket()).toBe(true);
    handle.close(); // nothing took the fd over, so its wrapper may close it
  });
});
