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
      const socketFds = (): string[] =>
        readdirSync('/proc/self/fd').filter((name) => {
          try {
            return readlinkSync(`/proc/self/fd/${name}`).startsWith('socket:');
          } catch {
            return false; // the directory handle itself
          }
        });
      const before = new Set(socketFds());
      const owner = createServer().listen({ host: '127.0.0.1', port: 0 });
      await once(owner, 'listening');
      const fd = socketFds().find((name) => !before.has(name));
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
