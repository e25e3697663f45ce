import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readSomaxconn, readSystemdListenEnv } from './systemd-env.ts';

describe('readSystemdListenEnv (sd_listen_fds)', () => {
  it('takes the fds from 3 on, with their names when there is one per fd', () => {
    expect(
      readSystemdListenEnv({ LISTEN_PID: '77', LISTEN_FDS: '3', LISTEN_FDNAMES: 'a:b:c' }, 77),
    ).toEqual({ fds: [3, 4, 5], names: ['a', 'b', 'c'] });
    expect(readSystemdListenEnv({ LISTEN_PID: '77', LISTEN_FDS: '1' }, 77)).toEqual({
      fds: [3],
      names: undefined,
    });
  });

  it('ignores variables meant for another pid, missing, or malformed', () => {
    for (const env of [
      {},
      { LISTEN_PID: '77' },
      { LISTEN_FDS: '1' },
      { LISTEN_PID: '78', LISTEN_FDS: '1' },
      { LISTEN_PID: '77', LISTEN_FDS: '01' },
      { LISTEN_PID: '77', LISTEN_FDS: '99999' },
      { LISTEN_PID: '77', LISTEN_FDS: '5000' },
    ])
      expect(readSystemdListenEnv(env, 77)).toBeUndefined();
  });
});

describe.runIf(process.platform === 'linux')('readSomaxconn', () => {
  it('reads net.core.somaxconn', () => {
    expect(readSomaxconn()).toBe(
      Number(readFileSync('/proc/sys/net/core/somaxconn', 'latin1').trim()),
    );
  });
});
