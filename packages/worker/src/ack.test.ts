import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { once } from 'node:events';
import {
  closeSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
} from 'node:fs';
import { createConnection, createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isEinhornError } from '@einhorn/core';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ack, ping, safeAck } from './ack.ts';
import { channels } from './diagnostics.ts';

const STATE_KEY = Symbol.for('einhorn.worker.state');
const dir = mkdtempSync(join(tmpdir(), 'einhorn-ack-'));
let counter = 0;

interface FakeCommandSocket {
  readonly path: string;
  readonly server: Server;
  /** Every line received, per connection. */
  readonly connections: string[][];
}

/**
 * A real UNIX command socket that records lines and, like einhorn, closes after each worker:*
 * line. With `close: false` it never closes, not even on the worker's EOF (half-open).
 */
async function commandSocket(
  options: { close?: boolean; reply?: string } = {},
): Promise<FakeCommandSocket> {
  const path = join(dir, `cmd-${++counter}.sock`);
  const connections: string[][] = [];
  const server = createServer({ allowHalfOpen: options.close === false }, (socket: Socket) => {
    const lines: string[] = [];
    connections.push(lines);
    let buffer = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      const parts = buffer.split('\n');
      buffer = parts.pop() ?? '';
      lines.push(...parts);
      if (options.close !== false && parts.length > 0) socket.end(options.reply ?? '');
    });
  });
  server.listen(path);
  await once(server, 'listening');
  return { path, server, connections };
}

const envFor = (path: string, extra: Record<string, string> = {}) => ({
  env: { EINHORN_SOCK_PATH: path, EINHORN_MASTER_PID: '4242', EINHORN_FD_COUNT: '0', ...extra },
  ppid: 4242,
});

beforeEach(() => {
  Reflect.deleteProperty(globalThis, STATE_KEY);
});

const servers: Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function track(socket: Promise<FakeCommandSocket>): Promise<FakeCommandSocket> {
  const result = await socket;
  servers.push(result.server);
  return result;
}

/** Socket fds this process holds (Linux), by fd number. */
function socketFds(): Set<string> {
  return new Set(
    readdirSync('/proc/self/fd').filter((name) => {
      try {
        return readlinkSync(`/proc/self/fd/${name}`).startsWith('socket:');
      } catch {
        return false; // the directory handle itself
      }
    }),
  );
}

/** The fds of the sockets `open` creates. */
async function newSocketFds(open: () => Promise<unknown>): Promise<number[]> {
  const before = socketFds();
  await open();
  return [...socketFds()].filter((name) => !before.has(name)).map(Number);
}

describe('ack', () => {
  it('check 22: writes one line {"command":"worker:ack","pid":<pid>} and resolves once the master closes', async () => {
    const master = await track(commandSocket());
    await ack(envFor(master.path));
    expect(master.connections).toEqual([[`{"command":"worker:ack","pid":${process.pid}}`]]);
  });

  it('is idempotent per process: concurrent and later calls share one ACK', async () => {
    const master = await track(commandSocket());
    await Promise.all([ack(envFor(master.path)), ack(envFor(master.path))]);
    await ack(envFor(master.path));
    expect(master.connections).toHaveLength(1);
  });

  it('shares its state with other copies of the package through Symbol.for', async () => {
    const master = await track(commandSocket());
    await ack(envFor(master.path));
    expect((globalThis as Record<symbol, unknown>)[STATE_KEY]).toMatchObject({ version: 1 });
  });

  it('retries after a failure', async () => {
    const missing = join(dir, 'not-there.sock');
    await expect(ack(envFor(missing))).rejects.toMatchObject({
      code: 'ERR_EINHORN_ACK_CONNECT',
      details: { path: missing, errno: 'ENOENT' },
    });
    const master = await track(commandSocket());
    await ack(envFor(master.path));
    expect(master.connections).toHaveLength(1);
  });

  it('rejects with ERR_EINHORN_ACK_TIMEOUT when the master never closes the connection', async () => {
    const master = await track(commandSocket({ close: false }));
    const error: unknown = await ack({ ...envFor(master.path), timeoutMs: 50 }).catch(
      (e: unknown) => e,
    );
    expect(isEinhornError(error, 'ERR_EINHORN_ACK_TIMEOUT')).toBe(true);
    expect((error as Error).cause).toBeInstanceOf(Error);
  });

  it('check 30: sends nothing and rejects when this process is not the worker', async () => {
    const master = await track(commandSocket());
    await expect(ack({ ...envFor(master.path), ppid: 1 })).rejects.toMatchObject({
      code: 'ERR_EINHORN_MASTER_PID_MISMATCH',
    });
    const result = await safeAck({ ...envFor(master.path), ppid: 1 });
    expect(result.success).toBe(false);
    expect(!result.success && isEinhornError(result.error, 'ERR_EINHORN_MASTER_PID_MISMATCH')).toBe(
      true,
    );
    expect(master.connections).toEqual([]);
  });

  it('safeAck resolves a success result', async () => {
    const master = await track(commandSocket());
    expect(await safeAck(envFor(master.path))).toEqual({
      success: true,
      data: { via: 'path', confirmed: false },
    });
  });

  describe('confirm (einhorn-node extension, PROTOCOL P10)', () => {
    const reply = (message: string): string => `${JSON.stringify({ message })}\n`;

    it('asks for a confirmation and resolves confirmed when einhorn-node answers ACKed', async () => {
      const master = await track(commandSocket({ reply: reply('ACKed') }));
      expect(await ack({ ...envFor(master.path), confirm: true })).toEqual({
        via: 'path',
        confirmed: true,
        message: 'ACKed',
      });
      expect(master.connections.flat()).toEqual([
        JSON.stringify({ command: 'worker:ack', pid: process.pid, confirm: true }),
      ]);
    });

    it('behaves like a plain ACK under the Ruby einhorn, which closes without a word', async () => {
      const master = await track(commandSocket());
      expect(await ack({ ...envFor(master.path), confirm: true })).toEqual({
        via: 'path',
        confirmed: false,
      });
    });

    it('rejects with ERR_EINHORN_ACK_REJECTED when the master knows no worker with this pid', async () => {
      const master = await track(
        commandSocket({
          reply: reply(`Not ACKed: no worker with pid ${process.pid} is known to this master.`),
        }),
      );
      const error: unknown = await ack({ ...envFor(master.path), confirm: true }).catch(
        (caught: unknown) => caught,
      );
      expect(isEinhornError(error, 'ERR_EINHORN_ACK_REJECTED')).toBe(true);
      expect((error as Error).message).toContain('Not ACKed: no worker with pid');
    });

    it('resolves, unconfirmed, when the master runs in timer mode, and confirmed when already ACKed', async () => {
      const timer = await track(
        commandSocket({
          reply: reply('Not ACKed: the master runs in timer ACK mode and ACKs workers itself.'),
        }),
      );
      expect(await ack({ ...envFor(timer.path), confirm: true })).toMatchObject({
        confirmed: false,
      });
      Reflect.deleteProperty(globalThis, STATE_KEY);
      const again = await track(
        commandSocket({ reply: reply(`Not ACKed: pid ${process.pid} was already ACKed.`) }),
      );
      expect(await ack({ ...envFor(again.path), confirm: true })).toMatchObject({
        confirmed: true,
      });
    });
  });

  it('sends nothing under systemd socket activation, which has no ACK', async () => {
    expect(await ack({ env: { LISTEN_PID: String(process.pid), LISTEN_FDS: '1' } })).toEqual({
      via: 'none',
      confirmed: false,
    });
  });

  it("check 28: via 'fd' never writes to an fd that is not a socket", async () => {
    const file = join(dir, `not-a-socket-${++counter}`);
    const fd = openSync(file, 'w');
    try {
      const error: unknown = await ack({
        ...envFor(join(dir, 'unused.sock'), { EINHORN_SOCK_FD: String(fd) }),
        via: 'fd',
      }).catch((e: unknown) => e);
      expect(isEinhornError(error, 'ERR_EINHORN_ACK_CONNECT')).toBe(true);
      expect((error as Error).message).toContain('a regular file, not a socket');
      expect(readFileSync(file, 'utf8')).toBe('');
    } finally {
      closeSync(fd);
    }
  });

  it("check 28: via 'fd' refuses an fd that is closed, naming it", async () => {
    const fd = openSync(join(dir, `closed-${++counter}`), 'w');
    closeSync(fd);
    const error: unknown = await ack({
      ...envFor(join(dir, 'unused.sock'), { EINHORN_SOCK_FD: String(fd) }),
      via: 'fd',
    }).catch((e: unknown) => e);
    expect(isEinhornError(error, 'ERR_EINHORN_ACK_CONNECT')).toBe(true);
    expect((error as { details: unknown }).details).toEqual({
      reason: `EINHORN_SOCK_FD=${fd} is not open`,
    });
  });

  it("via 'fd' without EINHORN_SOCK_FD says it is not set", async () => {
    await expect(ack({ ...envFor(join(dir, 'unused.sock')), via: 'fd' })).rejects.toMatchObject({
      code: 'ERR_EINHORN_ACK_CONNECT',
      details: { reason: 'EINHORN_SOCK_FD is not set' },
    });
  });

  it.runIf(process.platform === 'linux')(
    "check 28: via 'fd' never writes to a socket that is not a connected UNIX stream (a TCP listener, a UNIX listener)",
    async () => {
      const tcp = createServer();
      const unix = createServer();
      const [tcpFd] = await newSocketFds(async () => {
        tcp.listen({ host: '127.0.0.1', port: 0 });
        await once(tcp, 'listening');
      });
      const [unixFd] = await newSocketFds(async () => {
        unix.listen(join(dir, `listener-${++counter}.sock`));
        await once(unix, 'listening');
      });
      try {
        for (const fd of [tcpFd, unixFd]) {
          const error: unknown = await ack({
            ...envFor(join(dir, 'unused.sock'), { EINHORN_SOCK_FD: String(fd) }),
            via: 'fd',
          }).catch((e: unknown) => e);
          expect(isEinhornError(error, 'ERR_EINHORN_ACK_CONNECT')).toBe(true);
          expect((error as Error).message).toBe(
            `Expected EINHORN_SOCK_FD to be a UNIX socket connected to the master, but EINHORN_SOCK_FD=${String(fd)} is a socket but not a connected UNIX stream socket; nothing was written to it. Use via: 'auto' or 'path' (einhorn -g does not work for exec'd workers).`,
          );
        }
      } finally {
        tcp.close();
        unix.close();
      }
    },
  );

  it.runIf(process.platform === 'linux')(
    "via 'fd' reports a socket this process already serves as not openable (EEXIST), and writes nothing to it",
    async () => {
      const master = await track(commandSocket());
      const client = createConnection(master.path);
      await Promise.all([once(client, 'connect'), once(master.server, 'connection')]);
      // The client end is read by this process's event loop, so libuv refuses a second handle.
      const clientFd = (client as unknown as { _handle: { fd: number } })._handle.fd;
      try {
        const error: unknown = await ack({
          ...envFor(join(dir, 'unused.sock'), { EINHORN_SOCK_FD: String(clientFd) }),
          via: 'fd',
        }).catch((e: unknown) => e);
        expect(isEinhornError(error, 'ERR_EINHORN_ACK_CONNECT')).toBe(true);
        expect((error as { details: unknown }).details).toEqual({
          fd: clientFd,
          errno: 'EEXIST',
        });
        expect((error as Error).message).toMatch(
          new RegExp(
            `^Expected to deliver \\d+ bytes to the command-socket fd ${String(clientFd)}, but the socket could not be opened \\(EEXIST\\);`,
          ),
        );
        expect(master.connections).toEqual([[]]);
      } finally {
        client.destroy();
      }
    },
  );

  it("check 28: 'auto' uses the path even when EINHORN_SOCK_FD names another fd", async () => {
    const master = await track(commandSocket());
    const file = join(dir, `reused-${++counter}`);
    const fd = openSync(file, 'w');
    try {
      await ack(envFor(master.path, { EINHORN_SOCK_FD: String(fd) }));
      expect(master.connections).toHaveLength(1);
      expect(readFileSync(file, 'utf8')).toBe('');
    } finally {
      closeSync(fd);
    }
  });

  it('the path option overrides EINHORN_SOCK_PATH; pid overrides the pid reported (P12)', async () => {
    const master = await track(commandSocket());
    await ack({ ...envFor(join(dir, 'wrong.sock')), path: master.path, pid: 4242 });
    expect(master.connections).toEqual([['{"command":"worker:ack","pid":4242}']]);
  });

  it('rejects without EINHORN_SOCK_PATH with ERR_EINHORN_ENV_MISSING', async () => {
    await expect(ack({ env: { EINHORN_MASTER_PID: '4242' }, ppid: 4242 })).rejects.toMatchObject({
      code: 'ERR_EINHORN_ENV_MISSING',
    });
  });

  it('rejects with the abort reason when its signal aborts', async () => {
    const master = await track(commandSocket({ close: false }));
    const controller = new AbortController();
    const pending = ack({ ...envFor(master.path), signal: controller.signal });
    controller.abort(new Error('stop'));
    await expect(pending).rejects.toThrow('stop');
  });

  it('rejects with the reason of a signal that is already aborted, without connecting', async () => {
    const master = await track(commandSocket());
    const reason = new Error('shutting down');
    await expect(ack({ ...envFor(master.path), signal: AbortSignal.abort(reason) })).rejects.toBe(
      reason,
    );
    expect(master.connections).toEqual([]);
  });

  it('safeAck turns an abort reason that is not an Error into one', async () => {
    const master = await track(commandSocket({ close: false }));
    const controller = new AbortController();
    const pending = safeAck({ ...envFor(master.path), signal: controller.signal });
    controller.abort('stop');
    const result = await pending;
    expect(result.success).toBe(false);
    expect(!result.success && result.error).toBeInstanceOf(Error);
    expect(!result.success && result.error.message).toBe('stop');
  });

  it('rejects malformed options with ERR_EINHORN_INVALID_OPTIONS', async () => {
    // @ts-expect-error -- invalid on purpose
    await expect(ack({ via: 'pigeon', timeoutMs: 0 })).rejects.toMatchObject({
      code: 'ERR_EINHORN_INVALID_OPTIONS',
      details: { option: 'timeoutMs' },
    });
  });

  it('publishes { command, pid, via } on einhorn:worker:ack', async () => {
    const master = await track(commandSocket());
    const messages: unknown[] = [];
    const listener = (message: unknown): void => {
      messages.push(message);
    };
    subscribe(channels.ack, listener);
    try {
      await ack(envFor(master.path));
    } finally {
      unsubscribe(channels.ack, listener);
    }
    expect(messages).toEqual([{ command: 'worker:ack', pid: process.pid, via: 'path' }]);
  });
});

describe('ping', () => {
  it('check 27: sends worker:ping with request_id on a fresh connection each time', async () => {
    const master = await track(commandSocket());
    await ping('req-42', envFor(master.path));
    await ping('req-43', envFor(master.path));
    expect(master.connections).toEqual([
      [`{"command":"worker:ping","pid":${process.pid},"request_id":"req-42"}`],
      [`{"command":"worker:ping","pid":${process.pid},"request_id":"req-43"}`],
    ]);
  });

  it('rejects a non-string request id with ERR_EINHORN_INVALID_OPTIONS', async () => {
    // @ts-expect-error -- invalid on purpose
    await expect(ping(42, {})).rejects.toMatchObject({
      code: 'ERR_EINHORN_INVALID_OPTIONS',
      details: { option: 'requestId' },
    });
  });
});
