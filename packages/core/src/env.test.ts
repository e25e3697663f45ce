import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ENV,
  fdEnvKey,
  parseEinhornEnv,
  safeParseEinhornEnv,
  serializeEinhornEnv,
  stripEinhornEnv,
} from './env.ts';
import { EinhornEnvError, EinhornError } from './index.ts';
import type { EinhornEnv, EnvSource } from './types.ts';

function envError(env: EnvSource, options?: { legacyFds?: boolean }): EinhornEnvError {
  const result = safeParseEinhornEnv(env, options);
  if (result.success) throw new Error(`expected failure, got ${JSON.stringify(result.data)}`);
  expect(() => parseEinhornEnv(env, options)).toThrow(EinhornEnvError);
  return result.error;
}

describe('ENV and fdEnvKey', () => {
  it('names the variables einhorn sets (docs/reference/protocol.md, "Worker environment")', () => {
    expect(ENV).toEqual({
      FD_COUNT: 'EINHORN_FD_COUNT',
      FDS: 'EINHORN_FDS',
      SOCK_PATH: 'EINHORN_SOCK_PATH',
      SOCK_FD: 'EINHORN_SOCK_FD',
      MASTER_PID: 'EINHORN_MASTER_PID',
      CHILD_INDEX: 'EINHORN_CHILD_INDEX',
    });
    expect(fdEnvKey(0)).toBe('EINHORN_FD_0');
    expect(fdEnvKey(12)).toBe('EINHORN_FD_12');
  });

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '1', undefined])(
    'fdEnvKey(%s) throws ERR_EINHORN_INVALID_OPTIONS',
    (index) => {
      expect(() => fdEnvKey(index as number)).toThrow(
        expect.objectContaining({
          code: 'ERR_EINHORN_INVALID_OPTIONS',
          cause: expect.any(TypeError) as unknown,
          details: expect.objectContaining({ option: 'index' }) as unknown,
        }),
      );
    },
  );
});

describe('parseEinhornEnv', () => {
  it('check 1: reads a full einhorn environment with non-contiguous fds', () => {
    const env = parseEinhornEnv({
      EINHORN_FD_COUNT: '2',
      EINHORN_FD_0: '7',
      EINHORN_FD_1: '9',
      EINHORN_SOCK_PATH: 'rel/einhorn.sock',
      EINHORN_MASTER_PID: '17171',
      EINHORN_CHILD_INDEX: '0',
      PATH: '/usr/bin',
    });
    expect(env).toEqual({
      fds: [7, 9],
      fdSource: 'count',
      sockPath: 'rel/einhorn.sock',
      masterPid: 17171,
      childIndex: 0,
    });
    expect(Object.isFrozen(env)).toBe(true);
    expect(Object.isFrozen(env.fds)).toBe(true);
  });

  it('check 2: EINHORN_FD_COUNT=0 means no fds (and the 0.8.2 EINHORN_FDS="" is ignored)', () => {
    expect(
      parseEinhornEnv({ EINHORN_FD_COUNT: '0', EINHORN_FDS: '', EINHORN_MASTER_PID: '5' }),
    ).toEqual({ fds: [], fdSource: 'count', masterPid: 5 });
  });

  it('check 29: trusts EINHORN_FD_COUNT and ignores a stale EINHORN_FD_1', () => {
    expect(
      parseEinhornEnv({ EINHORN_FD_COUNT: '1', EINHORN_FD_0: '7', EINHORN_FD_1: '9' }).fds,
    ).toEqual([7]);
  });

  it('P13: ignores stale EINHORN_FD_k beyond the count even when malformed, and an inconsistent EINHORN_FDS', () => {
    expect(
      parseEinhornEnv({
        EINHORN_FD_COUNT: '1',
        EINHORN_FD_0: '7',
        EINHORN_FD_3: 'junk',
        EINHORN_FDS: '1 2 3',
      }),
    ).toEqual({ fds: [7], fdSource: 'count' });
  });

  it('check 31: reads the legacy EINHORN_FDS="7 9" only when EINHORN_FD_COUNT is absent', () => {
    expect(parseEinhornEnv({ EINHORN_FDS: '7 9' })).toEqual({ fds: [7, 9], fdSource: 'legacy' });
    expect(parseEinhornEnv({ EINHORN_FDS: '' })).toEqual({ fds: [], fdSource: 'legacy' });
    expect(parseEinhornEnv({ EINHORN_FDS: '3' })).toEqual({ fds: [3], fdSource: 'legacy' });
  });

  it('check 31: with legacyFds: false, EINHORN_FDS alone is a clear "missing" error, never a silent partial result', () => {
    const error = envError({ EINHORN_FDS: '7 9' }, { legacyFds: false });
    expect(error.code).toBe('ERR_EINHORN_ENV_MISSING');
    expect(error.details?.['hint']).toContain('legacyFds: false');
  });

  it('reports fdSource "none" when some einhorn variable is set but neither fd variable is', () => {
    expect(parseEinhornEnv({ EINHORN_SOCK_PATH: '/tmp/e.sock', EINHORN_MASTER_PID: '1' })).toEqual({
      fds: [],
      fdSource: 'none',
      sockPath: '/tmp/e.sock',
      masterPid: 1,
    });
    expect(
      parseEinhornEnv({ EINHORN_FDS: '7', EINHORN_MASTER_PID: '3' }, { legacyFds: false }),
    ).toEqual({ fds: [], fdSource: 'none', masterPid: 3 });
  });

  it('"missing" means none of the six known variables; a stale EINHORN_FD_0 alone does not count', () => {
    for (const env of [
      {},
      { PATH: '/bin' },
      { EINHORN_FD_0: '7' },
      { EINHORN_SOCK_PATH: undefined },
    ]) {
      const error = envError(env);
      expect(error.code).toBe('ERR_EINHORN_ENV_MISSING');
      expect(error.message).toMatch(
        /^Expected EINHORN_FD_COUNT .* none is set; are you running under Einhorn\?$/,
      );
      expect(error.details).toMatchObject({ variable: 'EINHORN_FD_COUNT', found: null });
    }
  });

  it('reads process.env by default', () => {
    const result = safeParseEinhornEnv();
    const expected = safeParseEinhornEnv({ ...process.env });
    expect(result).toEqual(expected);
  });

  it.each([
    ['EINHORN_FD_COUNT', { EINHORN_FD_COUNT: '7a' }],
    ['EINHORN_FD_COUNT', { EINHORN_FD_COUNT: ' 1' }],
    ['EINHORN_FD_COUNT', { EINHORN_FD_COUNT: '1e3' }],
    ['EINHORN_FD_COUNT', { EINHORN_FD_COUNT: '' }],
    ['EINHORN_FD_COUNT', { EINHORN_FD_COUNT: '-1' }],
    ['EINHORN_FD_COUNT', { EINHORN_FD_COUNT: '01' }],
    ['EINHORN_FD_COUNT', { EINHORN_FD_COUNT: '1.0' }],
    ['EINHORN_FD_COUNT', { EINHORN_FD_COUNT: '4097' }],
    ['EINHORN_FD_COUNT', { EINHORN_FD_COUNT: '99999999999' }],
    ['EINHORN_FD_0', { EINHORN_FD_COUNT: '1', EINHORN_FD_0: '7a' }],
    ['EINHORN_FD_0', { EINHORN_FD_COUNT: '1', EINHORN_FD_0: ' 7' }],
    ['EINHORN_FD_0', { EINHORN_FD_COUNT: '1', EINHORN_FD_0: '' }],
    ['EINHORN_FD_0', { EINHORN_FD_COUNT: '1', EINHORN_FD_0: '-3' }],
    ['EINHORN_FD_0', { EINHORN_FD_COUNT: '1', EINHORN_FD_0: '2147483648' }],
    ['EINHORN_FDS', { EINHORN_FDS: '7  9' }],
    ['EINHORN_FDS', { EINHORN_FDS: ' 7' }],
    ['EINHORN_FDS', { EINHORN_FDS: '7,9' }],
    ['EINHORN_FDS', { EINHORN_FDS: '7 x' }],
    ['EINHORN_SOCK_PATH', { EINHORN_SOCK_PATH: '' }],
    ['EINHORN_SOCK_FD', { EINHORN_SOCK_PATH: '/s', EINHORN_SOCK_FD: 'five' }],
    ['EINHORN_MASTER_PID', { EINHORN_MASTER_PID: '0' }],
    ['EINHORN_MASTER_PID', { EINHORN_MASTER_PID: '12 ' }],
    ['EINHORN_CHILD_INDEX', { EINHORN_CHILD_INDEX: '-1' }],
  ] as const)('rejects a malformed %s with ERR_EINHORN_ENV_INVALID naming it', (variable, env) => {
    const error = envError(env);
    expect(error.code).toBe('ERR_EINHORN_ENV_INVALID');
    expect(error.details).toMatchObject({
      variable,
      found: (env as Record<string, string>)[variable],
    });
    expect(error.details?.['expected']).toEqual(expect.any(String));
    expect(error.details?.['hint']).toEqual(expect.any(String));
    expect(error.message).toContain(variable);
    expect(error.message).toContain(JSON.stringify((env as Record<string, string>)[variable]));
    expect(JSON.parse(JSON.stringify(error.details))).toEqual(error.details);
  });

  it('rejects a count/fd mismatch: EINHORN_FD_1 missing while EINHORN_FD_COUNT=2', () => {
    const error = envError({ EINHORN_FD_COUNT: '2', EINHORN_FD_0: '7', EINHORN_FD_2: '9' });
    expect(error.code).toBe('ERR_EINHORN_ENV_INVALID');
    expect(error.details).toMatchObject({ variable: 'EINHORN_FD_1', found: null, count: 2 });
    expect(error.message).toBe(
      'Expected EINHORN_FD_1 because EINHORN_FD_COUNT is 2, but it is not set; the environment was truncated or edited.',
    );
  });

  it('rejects duplicate fds, naming the second variable and the first', () => {
    const error = envError({ EINHORN_FD_COUNT: '2', EINHORN_FD_0: '7', EINHORN_FD_1: '7' });
    expect(error.details).toMatchObject({ variable: 'EINHORN_FD_1', found: '7' });
    expect(error.details?.['expected']).toContain('EINHORN_FD_0');
    expect(envError({ EINHORN_FDS: '7 7' }).details).toMatchObject({ variable: 'EINHORN_FDS' });
  });

  it('accepts the largest values and a master started with EINHORN_SOCK_FD (check 57 input)', () => {
    expect(
      parseEinhornEnv({
        EINHORN_FD_COUNT: '1',
        EINHORN_FD_0: '2147483647',
        EINHORN_SOCK_FD: '99',
        EINHORN_CHILD_INDEX: '2147483647',
      }),
    ).toEqual({
      fds: [2147483647],
      fdSource: 'count',
      sockFd: 99,
      childIndex: 2147483647,
    });
  });
});

describe('serializeEinhornEnv', () => {
  it('writes what einhorn writes, and parses back to the same values', () => {
    const env: EinhornEnv = {
      fds: [7, 9],
      fdSource: 'count',
      sockPath: '/tmp/e.sock',
      masterPid: 42,
      childIndex: 3,
      sockFd: 5,
    };
    const vars = serializeEinhornEnv(env);
    expect(vars).toEqual({
      EINHORN_FD_COUNT: '2',
      EINHORN_FD_0: '7',
      EINHORN_FD_1: '9',
      EINHORN_SOCK_PATH: '/tmp/e.sock',
      EINHORN_SOCK_FD: '5',
      EINHORN_MASTER_PID: '42',
      EINHORN_CHILD_INDEX: '3',
    });
    expect(parseEinhornEnv(vars)).toEqual(env);
  });

  it('adds the legacy EINHORN_FDS only when asked', () => {
    expect(serializeEinhornEnv({ fds: [7, 9], fdSource: 'legacy' }, { legacyFds: true })).toEqual({
      EINHORN_FD_COUNT: '2',
      EINHORN_FD_0: '7',
      EINHORN_FD_1: '9',
      EINHORN_FDS: '7 9',
    });
    expect(serializeEinhornEnv({ fds: [], fdSource: 'none' }, { legacyFds: true })).toEqual({
      EINHORN_FD_COUNT: '0',
      EINHORN_FDS: '',
    });
  });

  it.each([
    [{ fds: [-1], fdSource: 'count' }, 'EINHORN_FD_0'],
    [{ fds: [1.5], fdSource: 'count' }, 'EINHORN_FD_0'],
    [{ fds: [3, 3], fdSource: 'count' }, 'EINHORN_FD_1'],
    [{ fds: [], fdSource: 'count', masterPid: 0 }, 'EINHORN_MASTER_PID'],
    [{ fds: [], fdSource: 'count', sockPath: '' }, 'EINHORN_SOCK_PATH'],
  ] as const)('refuses to write an invalid environment %j', (env, variable) => {
    expect(() => serializeEinhornEnv(env)).toThrow(
      expect.objectContaining({
        code: 'ERR_EINHORN_ENV_INVALID',
        details: expect.objectContaining({ variable }) as unknown,
      }),
    );
  });

  it('round-trips any valid environment (property)', () => {
    const int = fc.integer({ min: 0, max: 2147483647 });
    const envArbitrary = fc.record(
      {
        fds: fc.uniqueArray(int, { maxLength: 8 }),
        fdSource: fc.constant('count' as const),
        sockPath: fc.string({ minLength: 1 }),
        sockFd: int,
        masterPid: fc.integer({ min: 1, max: 2147483647 }),
        childIndex: int,
      },
      { requiredKeys: ['fds', 'fdSource'] },
    );
    fc.assert(
      fc.property(envArbitrary, fc.boolean(), (env, legacyFds) => {
        const parsed = parseEinhornEnv(serializeEinhornEnv(env, { legacyFds }));
        expect(parsed).toEqual(env);
        expect(parseEinhornEnv({ [ENV.FDS]: env.fds.join(' ') })).toEqual({
          fds: env.fds,
          fdSource: 'legacy',
        });
      }),
    );
  });
});

describe('stripEinhornEnv', () => {
  it('P13: copies the environment without any EINHORN_* variable, leaving the input untouched', () => {
    const input = {
      PATH: '/bin',
      EINHORN_SOCK_FD: '99',
      EINHORN_FD_3: '42',
      EINHORN_FD_COUNT: '1',
      HOME: undefined,
      NOT_EINHORN_X: '1',
    };
    const copy = { ...input };
    expect(stripEinhornEnv(input)).toEqual({ PATH: '/bin', NOT_EINHORN_X: '1' });
    expect(input).toEqual(copy);
  });
});

describe('error shape', () => {
  it('is an EinhornEnvError and an EinhornError with a one-sentence message', () => {
    const error = envError({ EINHORN_FD_COUNT: 'x' });
    expect(error).toBeInstanceOf(EinhornError);
    expect(String(error)).toMatch(
      /^EinhornEnvError \[ERR_EINHORN_ENV_INVALID\]: Expected EINHORN_FD_COUNT to be .*, but found "x"; .*\.$/,
    );
  });
});
