import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, existsSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { createServer, get } from 'node:http';
import type { Server as HttpServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onGracefulShutdown } from '@einhorn/worker';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { serve } from './serve.ts';
import type { ServeHandle } from './types.ts';

// serve() as a worker, in this process: a child process plays the master's part of binding the
// listener and hands the fd over (SCM_RIGHTS over the IPC channel), as einhorn hands its fds
// down, and a UNIX socket here plays the command socket. Always `exit: false`; the exiting
// paths run against real workers in test/adapters.
const hasSs =
  process.platform === 'linux' &&
  ['/usr/sbin/ss', '/sbin/ss', '/usr/bin/ss', '/bin/ss'].some((path) => existsSync(path));
const WORKER_STATE = Symbol.for('einhorn.worker.state');
const NET_STATE = Symbol.for('einhorn.net.state');
const dir = mkdtempSync(join(tmpdir(), 'einhorn-serve-'));
let counter = 0;

/**
 * The raw handles the fds arrived in. Never closed: the fd belongs to the server under test,
 * which closes it, and closing the wrapper too would close whatever fd reuses the number.
 */
const received: unknown[] = [];

const DONOR = `
const net = require('node:net');
const server = net.createServer().listen({ host: '127.0.0.1', port: 0, backlog: 37 }, () => {
  // Exiting drops this process's copy of the fd.
  process.send({ port: server.address().port }, server._handle, () => process.exit(0));
});
`;

/** A TCP listener bound by another process, handed to this one: its fd and port. */
async function inheritListener(): Promise<{ fd: number; port: number }> {
  const child = spawn(process.execPath, ['-e', DONOR], {
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
  ])) as [{ port: number }, { fd: number }];
  received.push(handle);
  await exited; // its copy of the fd is closed: ours is the only one
  return { fd: handle.fd, port: message.port };
}

interface CommandSocket {
  readonly path: string;
  readonly lines: string[];
  /** SIGUSR2 listeners in this process when each line arrived. */
  readonly listenersAtLine: number[];
}

/**
 * The master's command socket: records each line and closes the connection, as einhorn does.
 * `onLine` may answer first (a `state` reply).
 */
async function commandSocket(
  onLine?: (line: string) => Promise<string> | undefined,
): Promise<CommandSocket> {
  const path = join(dir, `cmd-${++counter}.sock`);
  const lines: string[] = [];
  const listenersAtLine: number[] = [];
  const server = createNetServer((socket) => {
    let buffer = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      const parts = buffer.split('\n');
      buffer = parts.pop() ?? '';
      const replies: Promise<string>[] = [];
      for (const line of parts) {
        lines.push(line);
        listenersAtLine.push(process.listenerCount('SIGUSR2'));
        replies.push(onLine?.(line) ?? Promise.resolve(''));
      }
      if (parts.length > 0) void Promise.all(replies).then((all) => socket.end(all.join('')));
    });
  });
  server.listen(path);
  await once(server, 'listening');
  cleanups.push(() => {
    server.close();
  });
  return { path, lines, listenersAtLine };
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

const cleanups: (() => unknown)[] = [];
const handles: ServeHandle<HttpServer>[] = [];
beforeEach(() => {
  Reflect.deleteProperty(globalThis, WORKER_STATE);
  Reflect.deleteProperty(globalThis, NET_STATE);
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await Promise.all(handles.splice(0).map((handle) => handle.close().catch(() => undefined)));
  for (const cleanup of cleanups.splice(0)) await cleanup();
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function app(): HttpServer {
  return createServer((_req, res) => {
    res.end(`worker ${process.pid}`);
  });
}

describe.runIf(process.platform === 'linux')('serve() under an Einhorn master', () => {
  it('check 22, check 32: adopts the inherited socket, installs the shutdown handler, then ACKs', async () => {
    const { fd, port } = await inheritListener();
    const master = await commandSocket();
    const before = process.listenerCount('SIGUSR2');
    const ready = vi.fn();
    const handle = await serve(app(), {
      env: {
        EINHORN_FD_COUNT: '1',
        EINHORN_FD_0: String(fd),
        EINHORN_SOCK_PATH: master.path,
        EINHORN_MASTER_PID: '4242',
        EINHORN_CHILD_INDEX: '0',
      },
      ppid: 4242,
      verifyParent: true,
      legacyFds: false,
      signal: new AbortController().signal,
      ackTimeoutMs: 10_000,
      ackVia: 'path',
      backlog: 16,
      exit: false,
      ready,
    });
    handles.push(handle);
    expect(handle.context).toMatchObject({ fds: [fd], masterPid: 4242, childIndex: 0 });
    expect(ready).toHaveBeenCalledOnce();
    expect(master.lines).toEqual([`{"command":"worker:ack","pid":${process.pid}}`]);
    expect(master.listenersAtLine).toEqual([before + 1]);
    expect(await fetchText(port)).toBe(`worker ${process.pid}`);
    await handle.close();
    expect(handle.state).toBe('closed');
    expect(process.listenerCount('SIGUSR2')).toBe(before);
  });

  it("reads process.env by default; with ack: 'manual' nothing is sent until handle.ack()", async () => {
    const { fd, port } = await inheritListener();
    const master = await commandSocket();
    vi.stubEnv('EINHORN_FD_COUNT', '1');
    vi.stubEnv('EINHORN_FD_0', String(fd));
    vi.stubEnv('EINHORN_SOCK_PATH', master.path);
    vi.stubEnv('EINHORN_MASTER_PID', String(process.ppid));
    const handle = await serve(app(), { ack: 'manual', exit: false, backlog: 16 });
    handles.push(handle);
    expect(handle.context?.fds).toEqual([fd]);
    expect(await fetchText(port)).toBe(`worker ${process.pid}`);
    expect(master.lines).toEqual([]);
    await handle.ack();
    await handle.ack(); // idempotent
    expect(master.lines).toEqual([`{"command":"worker:ack","pid":${process.pid}}`]);
  });

  it.runIf(hasSs)(
    'check 32: a worker told to stop while it adopts its socket stops listening, never runs ready and never ACKs',
    async () => {
      const { fd } = await inheritListener();
      // A master whose title reads like the Ruby einhorn's, so listenOnFd asks it for `state`;
      // the signal arrives while that request is in flight, in the middle of the adoption.
      const ruby = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30)'], {
        argv0: 'einhorn: /usr/bin/node server.js',
        stdio: 'ignore',
      });
      cleanups.push(() => ruby.kill());
      await once(ruby, 'spawn');
      const master = await commandSocket((line) => {
        if (!line.includes('"state"')) return undefined;
        // Answer once the signal has reached every listener (ours was added last).
        const answered = new Promise<string>((resolve) => {
          process.once('SIGUSR2', () => {
            resolve(
              '---%0Amessage: |%0A  ---%0A  :state:%0A    :config:%0A      :backlog: 37%0A\n',
            );
          });
        });
        process.kill(process.pid, 'SIGUSR2');
        return answered;
      });
      // The test's own registration: SIGUSR2 has a listener before serve() installs its own.
      const uninstall = onGracefulShutdown(() => undefined, { exit: false });
      cleanups.push(uninstall);
      const ready = vi.fn();
      const handle = await serve(app(), {
        env: {
          EINHORN_FD_COUNT: '1',
          EINHORN_FD_0: String(fd),
          EINHORN_SOCK_PATH: master.path,
          EINHORN_MASTER_PID: String(ruby.pid),
        },
        ppid: ruby.pid ?? 0,
        exit: false,
        ready,
      });
      handles.push(handle);
      expect(handle.isDraining).toBe(true);
      expect(handle.server.listening).toBe(false);
      await handle.closed;
      expect(handle.state).toBe('closed');
      expect(ready).not.toHaveBeenCalled();
      expect(master.lines).toEqual(['{"command":"state","id":1}']);
    },
  );

  it('an inherited fd that is not a socket rejects with ERR_EINHORN_FD_INVALID and removes the handler', async () => {
    const before = process.listenerCount('SIGUSR2');
    const server = app();
    const fd = openSync(join(dir, `file-${++counter}`), 'w');
    cleanups.push(() => {
      closeSync(fd);
    });
    await expect(
      serve(server, {
        env: { EINHORN_FD_COUNT: '1', EINHORN_FD_0: String(fd), EINHORN_MASTER_PID: '4242' },
        ppid: 4242,
        exit: false,
      }),
    ).rejects.toMatchObject({
      code: 'ERR_EINHORN_FD_INVALID',
      details: { fd, found: 'a regular file' },
    });
    expect(server.listening).toBe(false);
    expect(process.listenerCount('SIGUSR2')).toBe(before);
  });
});
