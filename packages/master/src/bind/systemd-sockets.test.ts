import { describe, expect, it } from 'vitest';
import { parseBindString } from './parse-bind.ts';
import { adoptSystemdSockets, readSystemdSockets } from './systemd-sockets.ts';

describe('readSystemdSockets (sd_listen_fds)', () => {
  it('reads LISTEN_FDS from fd 3 with LISTEN_FDNAMES, only for this pid', () => {
    expect(
      readSystemdSockets({ LISTEN_PID: '77', LISTEN_FDS: '2', LISTEN_FDNAMES: 'http' }, 77),
    ).toEqual({ fds: [3, 4], names: ['http', 'unknown'] });
    for (const env of [
      { LISTEN_FDS: '1' },
      { LISTEN_PID: '78', LISTEN_FDS: '1' },
      { LISTEN_PID: '77', LISTEN_FDS: '0' },
      { LISTEN_PID: '77', LISTEN_FDS: '01' },
      { LISTEN_PID: '77', LISTEN_FDS: 'x' },
      { LISTEN_PID: '77', LISTEN_FDS: '5000' },
    ])
      expect(readSystemdSockets(env, 77)).toBeUndefined();
  });
});

describe('adoptSystemdSockets', () => {
  it('refuses a different number of sockets than -b addresses, naming both', () => {
    let thrown: unknown;
    try {
      adoptSystemdSockets({ fds: [3], names: ['http'] }, [
        parseBindString('127.0.0.1:8080'),
        parseBindString('127.0.0.1:8081'),
      ]);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({
      code: 'ERR_EINHORN_BIND_INVALID',
      message: expect.stringMatching(
        /^Expected one systemd socket per -b \(2: 127\.0\.0\.1:8080, 127\.0\.0\.1:8081\), but systemd passed 1 \(http\)/,
      ) as unknown,
    });
  });
});
