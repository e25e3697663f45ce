import { describe, expect, it } from 'vitest';
import { childFdLayout } from './spawn-worker.ts';
import { buildWorkerEnv, isMasterVariable } from './worker-env.ts';

describe('buildWorkerEnv (einhorn 1.1 worker environment)', () => {
  it('sets exactly einhorn 1.1 variables and drops stale copies of them (P13, check 57)', () => {
    const env = buildWorkerEnv({
      base: { PATH: '/bin', EINHORN_SOCK_FD: '99', EINHORN_FD_3: '42', SECRET: 'x' },
      masterPid: 10,
      sockPath: 'rel.sock',
      fds: [3, 4],
      childIndex: 2,
      legacyFds: false,
    });
    expect(env).toEqual({
      PATH: '/bin',
      SECRET: 'x',
      EINHORN_MASTER_PID: '10',
      EINHORN_SOCK_PATH: 'rel.sock',
      EINHORN_FD_COUNT: '2',
      EINHORN_FD_0: '3',
      EINHORN_FD_1: '4',
      EINHORN_CHILD_INDEX: '2',
    });
  });

  it("passes the user's own EINHORN_* variables through, as einhorn does", () => {
    const env = buildWorkerEnv({
      base: { EINHORN_APP_MODE: 'blue', EINHORN_FD_COUNTER: 'mine' },
      masterPid: 1,
      sockPath: '/s',
      fds: [],
      childIndex: 0,
      legacyFds: false,
    });
    expect(env).toMatchObject({ EINHORN_APP_MODE: 'blue', EINHORN_FD_COUNTER: 'mine' });
    expect(isMasterVariable('EINHORN_FD_12')).toBe(true);
    expect(isMasterVariable('EINHORN_FD_X')).toBe(false);
  });

  it('adds EINHORN_SOCK_FD with -g and the legacy EINHORN_FDS when asked', () => {
    const layout = childFdLayout(1, true);
    expect(layout).toEqual({ fds: [3], sockFd: 4 });
    const env = buildWorkerEnv({
      base: {},
      masterPid: 1,
      sockPath: '/s',
      fds: layout.fds,
      sockFd: 4,
      childIndex: 0,
      legacyFds: true,
    });
    expect(env).toMatchObject({ EINHORN_SOCK_FD: '4', EINHORN_FDS: '3' });
    expect(
      buildWorkerEnv({
        base: {},
        masterPid: 1,
        sockPath: '/s',
        fds: [],
        childIndex: 0,
        legacyFds: true,
      }),
    ).toMatchObject({ EINHORN_FD_COUNT: '0', EINHORN_FDS: '' });
  });
});
