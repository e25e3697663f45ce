import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmod, lstat, mkdir, stat, writeFile, readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isEinhornError } from '@einhorn/core';
import { connectPeer, fakeDispatcher, makeTempDir } from './harness.test-helpers.ts';
import { startCommandServer } from './start.ts';
import type { CommandServer, CommandServerEvent } from './types.ts';

let dir: string;
let cleanup: () => Promise<void>;
const servers: CommandServer[] = [];

async function start(
  path: string,
  onEvent?: (event: CommandServerEvent) => void,
): Promise<CommandServer> {
  const server = await startCommandServer({
    path,
    dispatch: fakeDispatcher().dispatch,
    ...(onEvent ? { onEvent } : {}),
  });
  servers.push(server);
  return server;
}

/** A socket file nobody listens on: a real process binds it and is SIGKILLed, as after a crash. */
async function makeStaleSocket(path: string): Promise<void> {
  const child = spawn(process.execPath, [
    '-e',
    `require('net').createServer().listen(${JSON.stringify(path)}, () => process.kill(process.pid, 'SIGKILL'))`,
  ]);
  await once(child, 'exit');
  expect((await lstat(path)).isSocket()).toBe(true);
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
});

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
  await cleanup();
});

describe('the socket file (start-up checks)', () => {
  it('is created owner-only (0600) and removed by close()', async () => {
    const path = `${dir}/einhorn.sock`;
    const server = await start(path);
    const stats = await lstat(path);
    expect(stats.isSocket()).toBe(true);
    expect(stats.mode & 0o777).toBe(0o600);
    await server.close();
    await server.close();
    await expect(lstat(path)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('restores the process umask after listening', async () => {
    const original = process.umask(0o027);
    try {
      await start(`${dir}/einhorn.sock`);
      expect(process.umask(0o027)).toBe(0o027);
    } finally {
      process.umask(original);
    }
  });

  it('check 8: refuses a path a live server listens on, and leaves that server running', async () => {
    const path = `${dir}/einhorn.sock`;
    await start(path);
    const error = await rejection(start(path));
    expect(isEinhornError(error, 'ERR_EINHORN_COMMAND_SOCKET_IN_USE')).toBe(true);
    expect((error as Error).message).toContain(path);
    const peer = await connectPeer(path);
    peer.write('{"command":"louder","id":1}\n');
    expect((await peer.nextReply())['request_id']).toBe(1);
    peer.destroy();
  });

  it('check 9: replaces a stale socket and reports it', async () => {
    const path = `${dir}/einhorn.sock`;
    await makeStaleSocket(path);
    const events: CommandServerEvent[] = [];
    await start(path, (event) => events.push(event));
    expect(events).toContainEqual({ type: 'stale-socket-removed', path });
    expect((await lstat(path)).mode & 0o777).toBe(0o600);
    const peer = await connectPeer(path);
    peer.write('{"command":"louder","id":1}\n');
    expect((await peer.nextReply())['request_id']).toBe(1);
    peer.destroy();
  });

  it('check 9: refuses a regular file and leaves it untouched', async () => {
    const path = `${dir}/einhorn.sock`;
    await writeFile(path, 'keep me');
    const error = await rejection(start(path));
    expect(isEinhornError(error, 'ERR_EINHORN_COMMAND_SOCKET_INVALID')).toBe(true);
    expect((error as Error).message).toContain('non-socket file');
    expect(await readFile(path, 'utf8')).toBe('keep me');
  });

  it('refuses a directory at the path', async () => {
    const path = `${dir}/einhorn.sock`;
    await mkdir(path);
    expect(isEinhornError(await rejection(start(path)), 'ERR_EINHORN_COMMAND_SOCKET_INVALID')).toBe(
      true,
    );
  });

  it('refuses a parent directory that is world-writable without the sticky bit', async () => {
    await mkdir(`${dir}/open`);
    await chmod(`${dir}/open`, 0o777);
    const error = await rejection(start(`${dir}/open/einhorn.sock`));
    expect(isEinhornError(error, 'ERR_EINHORN_COMMAND_SOCKET_INVALID')).toBe(true);
    expect((error as Error).message).toContain('sticky');
  });

  it('accepts a world-writable parent with the sticky bit, like /tmp', async () => {
    await mkdir(`${dir}/sticky`);
    await chmod(`${dir}/sticky`, 0o1777);
    await start(`${dir}/sticky/einhorn.sock`);
    expect((await stat(`${dir}/sticky/einhorn.sock`)).mode & 0o777).toBe(0o600);
  });

  it('refuses a missing parent directory and a path longer than 107 bytes', async () => {
    expect(
      isEinhornError(
        await rejection(start(`${dir}/missing/einhorn.sock`)),
        'ERR_EINHORN_COMMAND_SOCKET_INVALID',
      ),
    ).toBe(true);
    const long = `${dir}/${'x'.repeat(120)}.sock`;
    const error = await rejection(start(long));
    expect(isEinhornError(error, 'ERR_EINHORN_COMMAND_SOCKET_INVALID')).toBe(true);
    expect((error as Error).message).toContain('bytes long');
  });

  it('creates the lockfile owner-only and leaves it in place, like einhorn (check 10)', async () => {
    const lockfilePath = `${dir}/einhorn.lock`;
    const server = await startCommandServer({
      path: `${dir}/einhorn.sock`,
      dispatch: () => undefined,
      lockfilePath,
    });
    expect((await stat(lockfilePath)).mode & 0o777).toBe(0o600);
    await server.close();
    expect((await stat(lockfilePath)).isFile()).toBe(true);
  });

  it('rejects malformed options with ERR_EINHORN_INVALID_OPTIONS', async () => {
    const path = `${dir}/einhorn.sock`;
    const dispatch = (): void => undefined;
    for (const options of [
      { path: '', dispatch },
      { path, dispatch: 'nope' },
      { path, dispatch, maxLineBytes: 0 },
      { path, dispatch, maxConnections: 1.5 },
      { path, dispatch, idleTimeoutMs: -1 },
    ]) {
      const error = await rejection(startCommandServer(options as never));
      expect(isEinhornError(error, 'ERR_EINHORN_INVALID_OPTIONS')).toBe(true);
    }
  });

  it('close() ends open connections and resolves', async () => {
    const path = `${dir}/einhorn.sock`;
    const server = await start(path);
    const idle = await connectPeer(path);
    const streaming = await connectPeer(path);
    streaming.socket.pause();
    await server.close();
    await idle.closed;
    expect(server.connectionCount).toBe(0);
    streaming.destroy();
  });
});
