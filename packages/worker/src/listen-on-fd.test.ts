import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { closeSync, mkdtempSync, openSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isEinhornError } from '@einhorn/core';
import { afterAll, describe, expect, it } from 'vitest';
import { listenOnFd } from './listen-on-fd.ts';

// Adopting a socket needs a second process (libuv refuses an fd this process already watches),
// so successful adoption runs in test/worker; here: every way adoption is refused.
const dir = mkdtempSync(join(tmpdir(), 'einhorn-listen-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const worker = (fds: Record<string, string>) => ({
  env: { EINHORN_MASTER_PID: '4242', ...fds },
  ppid: 4242,
});

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

/** The fd of the socket `open` creates, found as the one socket fd that was not there before. */
async function newSocketFd(open: () => Promise<unknown>): Promise<number> {
  const before = socketFds();
  await open();
  const added = [...socketFds()].filter((name) => !before.has(name));
  if (added.length !== 1) throw new Error(`expected one new socket fd, found ${added.join(', ')}`);
  return Number(added[0]);
}

/** Makes `controller` abort with `reason` right after `server.listen()` is called: while it is in flight. */
function abortDuringListen(server: Server, controller: AbortController, reason: Error): void {
  const listen = server.listen.bind(server) as (...args: unknown[]) => Server;
  server.listen = ((...args: unknown[]) => {
    const result = listen(...args);
    controller.abort(reason);
    return result;
  }) as Server['listen'];
}

async function failure(
  promise: Promise<unknown>,
): Promise<{ code: unknown; message: string; details: unknown; cause: unknown }> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isEinhornError(error)) throw new Error(`expected an EinhornError, got ${String(error)}`);
  return { code: error.code, message: error.message, details: error.details, cause: error.cause };
}

describe('listenOnFd', () => {
  it('rejects (never throws) when not under Einhorn', async () => {
    const pending = listenOnFd(createServer(), { env: {} });
    expect(pending).toBeInstanceOf(Promise);
    expect((await failure(pending)).code).toBe('ERR_EINHORN_ENV_MISSING');
  });

  it('rejects a grandchild with ERR_EINHORN_MASTER_PID_MISMATCH before touching any fd', async () => {
    expect(
      (
        await failure(
          listenOnFd(createServer(), {
            ...worker({ EINHORN_FD_COUNT: '1', EINHORN_FD_0: '3' }),
            ppid: 1,
          }),
        )
      ).code,
    ).toBe('ERR_EINHORN_MASTER_PID_MISMATCH');
  });

  it('rejects an index beyond EINHORN_FD_COUNT with ERR_EINHORN_FD_OUT_OF_RANGE', async () => {
    const error = await failure(
      listenOnFd(createServer(), {
        ...worker({ EINHORN_FD_COUNT: '1', EINHORN_FD_0: '3' }),
        index: 1,
      }),
    );
    expect(error).toMatchObject({
      code: 'ERR_EINHORN_FD_OUT_OF_RANGE',
      details: { index: 1, count: 1 },
    });
    expect(error.message).toBe(
      'Expected a listening socket at index 1, but only 1 is available (EINHORN_FD_COUNT); pass one -b per socket to the master or request a lower index.',
    );
  });

  it('check 31: names the legacy variable when the index is beyond EINHORN_FDS', async () => {
    const error = await failure(
      listenOnFd(createServer(), { ...worker({ EINHORN_FDS: '3 4' }), index: 2 }),
    );
    expect(error).toMatchObject({
      code: 'ERR_EINHORN_FD_OUT_OF_RANGE',
      details: { index: 2, count: 2 },
    });
    expect(error.message).toContain('but only 2 are available (EINHORN_FDS)');
  });

  it('refuses Windows with ERR_EINHORN_UNSUPPORTED_PLATFORM before reading anything', async () => {
    const original = Object.getOwnPropertyDescriptor(process, 'platform');
    if (original === undefined) throw new Error('process.platform has no descriptor');
    Object.defineProperty(process, 'platform', { ...original, value: 'win32' });
    let pending: Promise<unknown>;
    try {
      // No env at all: on Linux this would be ERR_EINHORN_ENV_MISSING.
      pending = listenOnFd(createServer(), { env: {} });
    } finally {
      Object.defineProperty(process, 'platform', original);
    }
    const error = await failure(pending);
    expect(error).toMatchObject({
      code: 'ERR_EINHORN_UNSUPPORTED_PLATFORM',
      details: { platform: 'win32' },
    });
    expect(error.message).toMatch(/found Windows; run the worker on Linux or macOS\.$/);
  });

  it('rejects a closed fd with ERR_EINHORN_FD_INVALID and the EBADF as cause', async () => {
    const fd = openSync(join(dir, 'closed'), 'w');
    closeSync(fd);
    const error = await failure(
      listenOnFd(createServer(), worker({ EINHORN_FD_COUNT: '1', EINHORN_FD_0: String(fd) })),
    );
    expect(error).toMatchObject({
      code: 'ERR_EINHORN_FD_INVALID',
      details: { fd, index: 0, found: 'closed' },
    });
    expect((error.cause as NodeJS.ErrnoException).code).toBe('EBADF');
  });

  it('rejects a regular file with ERR_EINHORN_FD_INVALID and leaves the fd open', async () => {
    const fd = openSync(join(dir, 'file'), 'w');
    const error = await failure(
      listenOnFd(createServer(), worker({ EINHORN_FD_COUNT: '1', EINHORN_FD_0: String(fd) })),
    );
    expect(error).toMatchObject({
      code: 'ERR_EINHORN_FD_INVALID',
      details: { found: 'a regular file' },
    });
    closeSync(fd);
  });

  it.runIf(process.platform === 'linux')(
    'wraps a listen() failure in ERR_EINHORN_FD_LISTEN_FAILED with the errno error as cause',
    async () => {
      // An fd this process already serves on: libuv refuses it with EEXIST.
      const owner = createServer();
      const fd = await newSocketFd(async () => {
        owner.listen({ host: '127.0.0.1', port: 0 });
        await once(owner, 'listening');
      });
      const error = await failure(
        listenOnFd(createServer(), {
          ...worker({ EINHORN_FD_COUNT: '1', EINHORN_FD_0: String(fd) }),
          backlog: 5,
        }),
      );
      expect(error).toMatchObject({
        code: 'ERR_EINHORN_FD_LISTEN_FAILED',
        details: { errno: 'EEXIST' },
      });
      expect(error.message).toContain('already adopted by another server in this process');
      owner.close();
    },
  );

  it.runIf(process.platform === 'linux')(
    'an fd that is a socket but not a stream (UDP) fails to listen with EINVAL and says what to check',
    async () => {
      const udp = createSocket('udp4');
      try {
        const fd = await newSocketFd(async () => {
          udp.bind(0, '127.0.0.1');
          await once(udp, 'listening');
        });
        const server = createServer();
        const error = await failure(
          listenOnFd(server, worker({ EINHORN_FD_COUNT: '1', EINHORN_FD_0: String(fd) })),
        );
        expect(error).toMatchObject({
          code: 'ERR_EINHORN_FD_LISTEN_FAILED',
          details: { fd, errno: 'EINVAL' },
        });
        expect(error.message).toBe(
          `Expected server.listen({ fd: ${fd} }) to succeed, but it failed with EINVAL; check that the fd is a TCP or UNIX stream socket.`,
        );
        expect((error.cause as NodeJS.ErrnoException).syscall).toBe('listen');
        expect(server.listening).toBe(false);
      } finally {
        udp.close();
      }
    },
  );

  it.runIf(process.platform === 'linux')(
    'aborted while a failing listen is in flight: rejects with the reason, and the listen error does not escape',
    async () => {
      const udp = createSocket('udp4');
      try {
        const fd = await newSocketFd(async () => {
          udp.bind(0, '127.0.0.1');
          await once(udp, 'listening');
        });
        const server = createServer();
        const controller = new AbortController();
        const reason = new Error('shutting down');
        abortDuringListen(server, controller, reason);
        await expect(
          listenOnFd(server, {
            ...worker({ EINHORN_FD_COUNT: '1', EINHORN_FD_0: String(fd) }),
            backlog: 5,
            signal: controller.signal,
          }),
        ).rejects.toBe(reason);
        // The EINVAL is emitted on the next tick; let it come, then check nothing is left over.
        await new Promise((resolve) => setImmediate(resolve));
        expect(server.listenerCount('error')).toBe(0);
        expect(server.listening).toBe(false);
      } finally {
        udp.close();
      }
    },
  );

  it.runIf(process.platform === 'linux')(
    'a server that is already listening is refused with ERR_EINHORN_FD_LISTEN_FAILED, its own listener untouched',
    async () => {
      const server = createServer();
      const fd = await newSocketFd(async () => {
        server.listen({ host: '127.0.0.1', port: 0 });
        await once(server, 'listening');
      });
      try {
        const error = await failure(
          listenOnFd(server, {
            ...worker({ EINHORN_FD_COUNT: '1', EINHORN_FD_0: String(fd) }),
            backlog: 5,
          }),
        );
        expect(error).toMatchObject({ code: 'ERR_EINHORN_FD_LISTEN_FAILED', details: { fd } });
        expect(error.message).toMatch(
          /to start, but it threw: .*; pass a server that is not already listening\.$/,
        );
        expect((error.cause as NodeJS.ErrnoException).code).toBe('ERR_SERVER_ALREADY_LISTEN');
        expect(server.listening).toBe(true);
      } finally {
        server.close();
      }
    },
  );

  it('rejects malformed options and a non-server with ERR_EINHORN_INVALID_OPTIONS', async () => {
    // @ts-expect-error -- invalid on purpose
    expect((await failure(listenOnFd(createServer(), { backlog: 'max' }))).details).toMatchObject({
      option: 'backlog',
    });
    expect((await failure(listenOnFd(createServer(), { index: -1 }))).details).toMatchObject({
      option: 'index',
    });
    const notAServer = JSON.parse('{}') as Server;
    expect(
      (await failure(listenOnFd(notAServer, worker({ EINHORN_FD_COUNT: '0' })))).details,
    ).toMatchObject({ option: 'server' });
  });

  it('rejects with the abort reason when already aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('cancelled'));
    await expect(
      listenOnFd(createServer(), {
        ...worker({ EINHORN_FD_COUNT: '0' }),
        signal: controller.signal,
      }),
    ).rejects.toThrow('cancelled');
  });
});
