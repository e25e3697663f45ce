import { isEinhornError } from '@einhorn/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { getWorkerContext, isEinhornWorker, safeGetWorkerContext } from './context.ts';

const PPID = 4242;
const workerEnv = {
  EINHORN_FD_COUNT: '2',
  EINHORN_FD_0: '7',
  EINHORN_FD_1: '9',
  EINHORN_SOCK_PATH: '/tmp/e.sock',
  EINHORN_MASTER_PID: String(PPID),
  EINHORN_CHILD_INDEX: '3',
};

function codeOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return isEinhornError(error) ? error.code : error;
  }
  return 'no error';
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('getWorkerContext / isEinhornWorker', () => {
  it('reads process.env and the real parent pid when no option is given', () => {
    for (const key of Object.keys(process.env).filter((k) => k.startsWith('EINHORN_')))
      vi.stubEnv(key, undefined);
    expect(safeGetWorkerContext()).toMatchObject({
      success: false,
      error: { code: 'ERR_EINHORN_ENV_MISSING' },
    });
    vi.stubEnv('EINHORN_FD_COUNT', '0');
    vi.stubEnv('EINHORN_CHILD_INDEX', '5');
    vi.stubEnv('EINHORN_MASTER_PID', String(process.ppid));
    expect(getWorkerContext()).toEqual({
      fds: [],
      fdSource: 'count',
      masterPid: process.ppid,
      manager: 'einhorn',
      childIndex: 5,
      pid: process.pid,
    });
    expect(isEinhornWorker()).toBe(true);
  });

  it('returns the frozen context of a direct worker, with its own pid', () => {
    const context = getWorkerContext({ env: workerEnv, ppid: PPID });
    expect(context).toEqual({
      fds: [7, 9],
      fdSource: 'count',
      sockPath: '/tmp/e.sock',
      masterPid: PPID,
      manager: 'einhorn',
      childIndex: 3,
      pid: process.pid,
    });
    expect(Object.isFrozen(context)).toBe(true);
    expect(isEinhornWorker({ env: workerEnv, ppid: PPID })).toBe(true);
  });

  it('checks the real parent pid by default', () => {
    expect(
      isEinhornWorker({ env: { ...workerEnv, EINHORN_MASTER_PID: String(process.ppid) } }),
    ).toBe(true);
    expect(isEinhornWorker({ env: workerEnv })).toBe(process.ppid === PPID);
  });

  it('check 30: EINHORN_MASTER_PID ≠ ppid (a grandchild or a wrapper) is ERR_EINHORN_MASTER_PID_MISMATCH', () => {
    const result = safeGetWorkerContext({ env: workerEnv, ppid: PPID + 1 });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.error.code).toBe('ERR_EINHORN_MASTER_PID_MISMATCH');
    expect(result.error.details).toEqual({
      masterPid: PPID,
      ppid: PPID + 1,
      wrapper: null,
      command: null,
    });
    expect(result.error.message).toMatch(
      /^Expected EINHORN_MASTER_PID \(4242\) to equal the parent pid \(4243\).*scrub EINHORN_\*/,
    );
    expect(isEinhornWorker({ env: workerEnv, ppid: PPID + 1 })).toBe(false);
  });

  it('names the wrapper and the command line to use when the master is a grandparent (npm start, npx, tsx)', async () => {
    // This test process's parent plays the wrapper, its grandparent the master.
    const { parentOf } = await import('./internal/parent-process.ts');
    const grandparent = parentOf(process.ppid);
    if (grandparent === undefined) return; // no /proc: nothing to tell
    const result = safeGetWorkerContext({
      env: { ...workerEnv, EINHORN_MASTER_PID: String(grandparent) },
    });
    expect(result.success).toBe(false);
    const error = (result as { error: { code: string; message: string; details: unknown } }).error;
    expect(error.code).toBe('ERR_EINHORN_MASTER_PID_MISMATCH');
    expect(error.details).toMatchObject({
      masterPid: grandparent,
      ppid: process.ppid,
      wrapper: expect.any(String) as string,
      command: expect.stringContaining(process.execPath) as string,
    });
    expect(error.message).toContain('give the master this command line instead: ');
  });

  it('systemd socket activation: LISTEN_FDS for this pid gives a context with fds from 3', () => {
    const context = getWorkerContext({
      env: { LISTEN_PID: String(process.pid), LISTEN_FDS: '2', LISTEN_FDNAMES: 'http:admin' },
    });
    expect(context).toMatchObject({
      fds: [3, 4],
      fdSource: 'systemd',
      fdNames: ['http', 'admin'],
      manager: 'systemd',
      pid: process.pid,
    });
    expect(Object.isFrozen(context)).toBe(true);
  });

  it('systemd variables meant for another pid, malformed, or turned off are not a context', () => {
    for (const env of [
      { LISTEN_PID: String(process.pid + 1), LISTEN_FDS: '1' },
      { LISTEN_PID: String(process.pid), LISTEN_FDS: 'x' },
      { LISTEN_PID: String(process.pid), LISTEN_FDS: '0' },
    ])
      expect(codeOf(() => getWorkerContext({ env }))).toBe('ERR_EINHORN_ENV_MISSING');
    expect(
      codeOf(() =>
        getWorkerContext({
          env: { LISTEN_PID: String(process.pid), LISTEN_FDS: '1' },
          systemd: false,
        }),
      ),
    ).toBe('ERR_EINHORN_ENV_MISSING');
    expect(
      getWorkerContext({
        env: { LISTEN_PID: String(process.pid), LISTEN_FDS: '1', LISTEN_FDNAMES: 'a:b' },
      }).fdNames,
    ).toBeUndefined();
  });

  it('verifyParent: false accepts a wrapper (P12)', () => {
    expect(getWorkerContext({ env: workerEnv, ppid: 1, verifyParent: false }).masterPid).toBe(PPID);
  });

  it('no EINHORN_* variable at all is ERR_EINHORN_ENV_MISSING', () => {
    expect(codeOf(() => getWorkerContext({ env: {} }))).toBe('ERR_EINHORN_ENV_MISSING');
    expect(isEinhornWorker({ env: { PATH: '/bin' } })).toBe(false);
  });

  it('Einhorn variables without EINHORN_MASTER_PID are ERR_EINHORN_NOT_A_WORKER', () => {
    expect(codeOf(() => getWorkerContext({ env: { EINHORN_FD_COUNT: '0' }, ppid: PPID }))).toBe(
      'ERR_EINHORN_NOT_A_WORKER',
    );
  });

  it('a malformed variable is ERR_EINHORN_ENV_INVALID from @einhorn/core', () => {
    expect(
      codeOf(() => getWorkerContext({ env: { ...workerEnv, EINHORN_FD_0: '7x' }, ppid: PPID })),
    ).toBe('ERR_EINHORN_ENV_INVALID');
  });

  it('check 29: ignores a stale EINHORN_FD_<k> beyond EINHORN_FD_COUNT', () => {
    expect(
      getWorkerContext({ env: { ...workerEnv, EINHORN_FD_COUNT: '1' }, ppid: PPID }).fds,
    ).toEqual([7]);
  });

  it('check 31: reads the legacy EINHORN_FDS by default, and not with legacyFds: false', () => {
    const legacy = { EINHORN_FDS: '7 9', EINHORN_MASTER_PID: String(PPID) };
    expect(getWorkerContext({ env: legacy, ppid: PPID })).toMatchObject({
      fds: [7, 9],
      fdSource: 'legacy',
    });
    expect(getWorkerContext({ env: legacy, ppid: PPID, legacyFds: false })).toMatchObject({
      fds: [],
      fdSource: 'none',
    });
  });

  it('rejects malformed options with ERR_EINHORN_INVALID_OPTIONS, listing every issue in the cause', () => {
    let caught: unknown;
    try {
      // @ts-expect-error -- wrong option types on purpose
      getWorkerContext({ env: workerEnv, ppid: -1, verifyParent: 'yes' });
    } catch (error) {
      caught = error;
    }
    expect(isEinhornError(caught, 'ERR_EINHORN_INVALID_OPTIONS')).toBe(true);
    const error = caught as Error & { details: { option: string; issues: unknown[] } };
    expect(error.details.option).toBe('ppid');
    expect(error.details.issues).toHaveLength(2);
    expect(error.cause).toBeInstanceOf(TypeError);
    expect((error.cause as Error).message).toContain('verifyParent');
  });
});
