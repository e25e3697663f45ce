// fast-check generators of hostile and well-formed EINHORN_* environments. Values that a naive
// `Number(raw)` or `parseInt(raw)` would accept (" 7", "0x7", "7.0", "1e3", "", "٧") are the
// point: a parser must refuse every one of them, not coerce it into a wrong fd.
import fc from 'fast-check';
import type { EinhornEnv, EnvSource } from '@einhorn/core';
import { FD_COUNT_MAX, INT32_MAX } from './env-oracle.ts';

/** Strings a JavaScript coercion turns into a plausible number, and other near misses. */
const NEAR_MISSES = [
  '',
  ' ',
  '+7',
  '-7',
  '-0',
  '+0',
  '007',
  '00',
  '0 ',
  ' 0',
  '7\n',
  '\t7',
  '7\r',
  '\u00a07',
  '7\u2003',
  '0x7',
  '0X1f',
  '0b1',
  '0o7',
  '7.0',
  '7.',
  '.7',
  '1e3',
  '1E0',
  '7e-0',
  'Infinity',
  '-Infinity',
  'NaN',
  '1_000',
  '1,000',
  '7 9',
  '7,9',
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
  '٧',
  '۷',
  '७',
  '７',
  '𝟕',
  '߇',
  '2147483648',
  '4294967297',
  '9007199254740993',
  '99999999999999999999',
  '1'.repeat(400),
  '7\u0000',
  '\u200b7',
];

const unicodeDigit = fc.constantFrom(
  ...Array.from('٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹०१२३४५६७८९０１２３４５６７８９𝟎𝟏𝟐𝟑'),
);

/** A canonical decimal string for an integer in [min, max], biased towards small values and edges. */
export function goodInt(min: number, max: number): fc.Arbitrary<string> {
  return fc
    .oneof(
      {
        weight: 4,
        arbitrary: fc.integer({ min, max: Math.min(max, min + 40) }),
      },
      { weight: 2, arbitrary: fc.integer({ min, max }) },
      { weight: 1, arbitrary: fc.constantFrom(min, max) },
    )
    .map(String);
}

/** A string that is never a canonical decimal in [min, max]. */
export function badInt(min: number, max: number): fc.Arbitrary<string> {
  const good = fc.integer({ min, max: Math.min(max, min + 99) });
  return fc.oneof(
    fc.constantFrom(...NEAR_MISSES),
    fc.integer({ min: max + 1, max: Number.MAX_SAFE_INTEGER }).map(String),
    fc.integer({ min: -INT32_MAX, max: min - 1 }).map(String),
    good.map((n) => `0${n}`),
    fc
      .tuple(good, fc.constantFrom(' ', '\t', '\n', '\r\n', '\v', '\f', '\u00a0', '\ufeff'))
      .map(([n, s]) => (n % 2 === 0 ? `${s}${n}` : `${n}${s}`)),
    fc.tuple(good, unicodeDigit).map(([n, d]) => `${n}${d}`),
    fc
      .tuple(good, fc.constantFrom('.0', '.5', 'e0', 'n', 'px', '0x'))
      .map(([n, suffix]) => `${n}${suffix}`),
    fc.string({ unit: 'binary', maxLength: 12 }).filter((s) => !/^(0|[1-9][0-9]*)$/.test(s)),
  );
}

/** Mostly valid, sometimes hostile. */
function anyInt(min: number, max: number): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: goodInt(min, max) },
    { weight: 2, arbitrary: badInt(min, max) },
  );
}

const fdValue = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 12 }).map(String) }, // small pool: duplicates are likely
  { weight: 2, arbitrary: anyInt(0, INT32_MAX) },
);

const legacyFds = fc.oneof(
  fc.array(fc.integer({ min: 0, max: 12 }), { maxLength: 6 }).map((fds) => fds.join(' ')),
  fc
    .array(fdValue, { minLength: 1, maxLength: 6 })
    .chain((fds) => fc.constantFrom(' ', '  ', ',', '\t', ', ').map((sep) => fds.join(sep))),
  fc
    .array(fc.integer({ min: 0, max: 12 }), { minLength: 1, maxLength: 4 })
    .map((fds) => ` ${fds.join(' ')} `),
);

const sockPath = fc.oneof(
  fc.constantFrom('', '/tmp/einhorn.sock', 'rel/einhorn.sock', ' ', '%0A', 'a\nb'),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }),
);

/** Unrelated and look-alike variables a parser must ignore. */
const noise = fc.dictionary(
  fc.constantFrom(
    'PATH',
    'einhorn_fd_count',
    'EINHORN_FD_COUNT ',
    ' EINHORN_FD_0',
    'EINHORN_FOO',
    'EINHORN_FD_',
    'EINHORN_FD_-1',
    'EINHORN_FD_01',
    'EINHORN_FD_0x1',
    'EINHORN_FD_FAMILY_0',
    'LISTEN_FDS',
  ),
  fc.oneof(fdValue, fc.string({ maxLength: 8 })),
  { maxKeys: 4 },
);

function optional<T>(arbitrary: fc.Arbitrary<T>, freq = 2): fc.Arbitrary<T | undefined> {
  return fc.option(arbitrary, { nil: undefined, freq });
}

/** Any mixture: counts that disagree with the fds, stale fds beyond the count, bad values everywhere. */
export const chaoticEnv: fc.Arbitrary<Record<string, string | undefined>> = fc
  .record({
    count: optional(
      fc.oneof(
        { weight: 4, arbitrary: fc.integer({ min: 0, max: 6 }).map(String) },
        { weight: 2, arbitrary: anyInt(0, FD_COUNT_MAX) },
      ),
    ),
    fds: fc.array(optional(fdValue, 6), { maxLength: 8 }),
    stale: fc.array(fc.tuple(fc.integer({ min: 0, max: 40 }), fdValue), {
      maxLength: 3,
    }),
    legacy: optional(legacyFds),
    sockPath: optional(sockPath),
    sockFd: optional(anyInt(0, INT32_MAX)),
    masterPid: optional(anyInt(1, INT32_MAX)),
    childIndex: optional(anyInt(0, INT32_MAX)),
    explicitUndefined: fc.subarray([
      'EINHORN_FD_COUNT',
      'EINHORN_FDS',
      'EINHORN_SOCK_PATH',
      'EINHORN_MASTER_PID',
    ]),
    noise,
  })
  .map((parts) => {
    const env: Record<string, string | undefined> = { ...parts.noise };
    for (const name of parts.explicitUndefined) env[name] = undefined;
    parts.stale.forEach(([index, value]) => (env[`EINHORN_FD_${index}`] = value));
    parts.fds.forEach((value, index) => {
      if (value !== undefined) env[`EINHORN_FD_${index}`] = value;
    });
    const set = (name: string, value: string | undefined): void => {
      if (value !== undefined) env[name] = value;
    };
    set('EINHORN_FD_COUNT', parts.count);
    set('EINHORN_FDS', parts.legacy);
    set('EINHORN_SOCK_PATH', parts.sockPath);
    set('EINHORN_SOCK_FD', parts.sockFd);
    set('EINHORN_MASTER_PID', parts.masterPid);
    set('EINHORN_CHILD_INDEX', parts.childIndex);
    return env;
  });

/** What a real einhorn master writes (0.8.2 with EINHORN_FDS, or 1.x without), plus stale extras. */
export const wellFormedEnv: fc.Arbitrary<Record<string, string>> = fc
  .record({
    fds: fc.uniqueArray(
      fc.oneof(fc.integer({ min: 0, max: 64 }), fc.integer({ min: 0, max: INT32_MAX })),
      { maxLength: 6 },
    ),
    legacy: fc.boolean(),
    sockPath: fc.option(fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }), {
      nil: undefined,
    }),
    masterPid: goodInt(1, INT32_MAX),
    childIndex: goodInt(0, INT32_MAX),
    staleBeyond: fc.array(fdValue, { maxLength: 2 }),
  })
  .map(({ fds, legacy, sockPath: path, masterPid, childIndex, staleBeyond }) => {
    const env: Record<string, string> = {
      EINHORN_FD_COUNT: String(fds.length),
      EINHORN_MASTER_PID: masterPid,
      EINHORN_CHILD_INDEX: childIndex,
    };
    fds.forEach((fd, index) => (env[`EINHORN_FD_${index}`] = String(fd)));
    staleBeyond.forEach((value, k) => (env[`EINHORN_FD_${fds.length + k}`] = value));
    if (legacy) env['EINHORN_FDS'] = fds.join(' ');
    if (path !== undefined) env['EINHORN_SOCK_PATH'] = path;
    return env;
  });

/** EinhornEnv values to serialize, including ones a master must refuse to write. */
export const envValue: fc.Arbitrary<EinhornEnv> = fc.record(
  {
    fds: fc.oneof(
      {
        weight: 3,
        arbitrary: fc.uniqueArray(fc.integer({ min: 0, max: INT32_MAX }), {
          maxLength: 5,
        }),
      },
      {
        weight: 1,
        arbitrary: fc.array(
          fc.oneof(
            fc.integer({ min: 0, max: 20 }),
            fc.constantFrom(-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, INT32_MAX + 1, 2 ** 53),
          ),
          { maxLength: 5 },
        ),
      },
    ),
    fdSource: fc.constantFrom('count', 'legacy', 'none'),
    sockPath: fc.oneof(
      { weight: 1, arbitrary: fc.constant('') },
      {
        weight: 6,
        arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }),
      },
    ),
    sockFd: fc.oneof(
      { weight: 6, arbitrary: fc.integer({ min: 0, max: INT32_MAX }) },
      { weight: 1, arbitrary: fc.constantFrom(-3, 2.5, INT32_MAX + 1) },
    ),
    masterPid: fc.oneof(
      { weight: 6, arbitrary: fc.integer({ min: 1, max: INT32_MAX }) },
      { weight: 1, arbitrary: fc.constantFrom(0, -1, 1.25, Number.NaN) },
    ),
    childIndex: fc.oneof(
      { weight: 6, arbitrary: fc.integer({ min: 0, max: INT32_MAX }) },
      { weight: 1, arbitrary: fc.constantFrom(-1, 0.5, 1e21) },
    ),
  },
  { requiredKeys: ['fds', 'fdSource'] },
);

/** An environment as a plain object without undefined values (what a child process would see). */
export function definedOnly(env: EnvSource): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}
