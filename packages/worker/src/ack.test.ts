import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { once } from 'node:events';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
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
async function commandSocket(options: { close?: boolean } = {}): Promise<FakeCommandSocket> {
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
      if (options.close !== false && parts.length > 0) socket.end();
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
    expect(await safeAck(envFor(master.path))).toEqual({ success: true, data: undefined });
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
