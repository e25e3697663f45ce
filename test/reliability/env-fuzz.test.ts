// Fuzzes the worker environment parser of the BUILT @einhorn/core against an oracle written from
// docs/reference/protocol.md, "Worker environment" (env-oracle.ts). A seeded sample runs here;
// `node scripts/fuzz-env.mjs` runs long.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseEinhornEnv, safeParseEinhornEnv } from '@einhorn/core';
import { badInt, chaoticEnv, definedOnly, envValue, wellFormedEnv } from './env-arbitraries.ts';
import { FD_COUNT_MAX, INT32_MAX, expectedVerdict } from './env-oracle.ts';
import { checkEnvError, checkParse, checkRoundTrip, checkSerialize } from './env-properties.ts';

const SEED = Number(process.env['EINHORN_FUZZ_SEED'] ?? 20_240_601);
const RUNS = Number(process.env['EINHORN_FUZZ_RUNS'] ?? 1500);
const params = { seed: SEED, numRuns: RUNS };

describe('worker environment fuzzing (checks 1, 2, 29, 31; P13)', () => {
  it('the oracle agrees with the hand-written cases of the environment rules (so the fuzzer can fail)', () => {
    expect(
      expectedVerdict({
        EINHORN_FD_COUNT: '2',
        EINHORN_FD_0: '7',
        EINHORN_FD_1: '9',
      }),
    ).toMatchObject({ kind: 'ok', env: { fds: [7, 9] } });
    expect(
      expectedVerdict({
        EINHORN_FD_COUNT: '1',
        EINHORN_FD_0: '7',
        EINHORN_FD_1: '9',
      }),
    ).toMatchObject({ kind: 'ok', env: { fds: [7] } });
    expect(expectedVerdict({ EINHORN_FDS: '7 9' })).toMatchObject({
      kind: 'ok',
      env: { fds: [7, 9], fdSource: 'legacy' },
    });
    expect(expectedVerdict({ EINHORN_FDS: '7 9' }, false)).toEqual({
      kind: 'missing',
    });
    expect(expectedVerdict({ EINHORN_FD_0: '3' })).toEqual({ kind: 'missing' });
    expect(expectedVerdict({ EINHORN_FD_COUNT: '07' })).toEqual({
      kind: 'invalid',
      culprits: new Set(['EINHORN_FD_COUNT']),
    });
    expect(
      expectedVerdict({
        EINHORN_FD_COUNT: '2',
        EINHORN_FD_0: '5',
        EINHORN_FD_1: '5',
      }),
    ).toEqual({ kind: 'invalid', culprits: new Set(['EINHORN_FD_1']) });
    expect(expectedVerdict({ EINHORN_MASTER_PID: '0' })).toEqual({
      kind: 'invalid',
      culprits: new Set(['EINHORN_MASTER_PID']),
    });
  });

  it('every generated environment gets the oracle verdict: exact fds, or a typed EinhornEnvError naming a bad variable', () => {
    const seen = { ok: 0, missing: 0, invalid: 0 };
    fc.assert(
      fc.property(chaoticEnv, fc.boolean(), (env, legacy) => {
        seen[checkParse(env, legacy)] += 1;
      }),
      params,
    );
    // The generator must exercise all three outcomes, or the property proves little.
    expect(seen.ok).toBeGreaterThan(RUNS / 20);
    expect(seen.invalid).toBeGreaterThan(RUNS / 4);
    expect(seen.missing).toBeGreaterThan(0);
  });

  it('environments a real master writes parse to exactly the declared fds and round-trip through serializeEinhornEnv', () => {
    fc.assert(
      fc.property(wellFormedEnv, (env) => {
        expect(checkParse(env, true)).toBe('ok');
        checkRoundTrip(parseEinhornEnv(env), env);
      }),
      params,
    );
  });

  it.each([
    ['EINHORN_FD_COUNT', 0, FD_COUNT_MAX, {}],
    ['EINHORN_FD_0', 0, INT32_MAX, { EINHORN_FD_COUNT: '1' }],
    ['EINHORN_FD_1', 0, INT32_MAX, { EINHORN_FD_COUNT: '2', EINHORN_FD_0: '3' }],
    ['EINHORN_SOCK_FD', 0, INT32_MAX, { EINHORN_FD_COUNT: '0' }],
    ['EINHORN_MASTER_PID', 1, INT32_MAX, {}],
    ['EINHORN_CHILD_INDEX', 0, INT32_MAX, { EINHORN_SOCK_PATH: '/s' }],
  ] as const)(
    'a hostile %s alone is refused with ERR_EINHORN_ENV_INVALID naming it',
    (variable, min, max, rest) => {
      fc.assert(
        fc.property(badInt(min, max), (raw) => {
          const env = { ...rest, [variable]: raw };
          const result = safeParseEinhornEnv(env);
          expect(result.success).toBe(false);
          if (result.success) return;
          const error = checkEnvError(result.error, env);
          expect(error.code).toBe('ERR_EINHORN_ENV_INVALID');
          expect(error.details).toMatchObject({ variable, found: raw });
        }),
        { ...params, numRuns: Math.ceil(RUNS / 5) },
      );
    },
  );

  it('legacy EINHORN_FDS is read only without EINHORN_FD_COUNT and never yields a partial list', () => {
    fc.assert(
      fc.property(chaoticEnv, (env) => {
        const withoutCount = definedOnly({
          ...env,
          EINHORN_FD_COUNT: undefined,
        });
        const result = safeParseEinhornEnv(withoutCount);
        if (!result.success || result.data.fdSource !== 'legacy') return;
        const raw = withoutCount['EINHORN_FDS'] ?? '';
        expect(result.data.fds.map(String).join(' ')).toBe(raw);
      }),
      params,
    );
  });

  it('serializeEinhornEnv writes every representable value and refuses the rest with a typed error', () => {
    const seen = { written: 0, refused: 0 };
    fc.assert(
      fc.property(envValue, (value) => {
        seen[checkSerialize(value)] += 1;
      }),
      params,
    );
    expect(seen.written).toBeGreaterThan(0);
    expect(seen.refused).toBeGreaterThan(0);
  });
});
