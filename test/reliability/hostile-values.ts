// Building blocks for hostile command-socket lines: YAML/JSON field values of every wrong type,
// YAML tags, dates, alias bombs, deep nesting and byte-level garbage. Each produces TEXT in YAML
// flow syntax (valid or not); hostile-lines.ts assembles them into lines.
import fc from 'fast-check';

/** Every command einhorn knows (core's COMMAND_NAMES), by what they do to a real master. */
export const HARMLESS_COMMANDS = ['state', 'help', 'ehlo', 'quieter', 'louder'] as const;
export const WORKER_COMMANDS = ['worker:ack', 'worker:ping'] as const;
export const MUTATING_COMMANDS = [
  'reload',
  'inc',
  'dec',
  'set_workers',
  'upgrade',
  'upgrade_fleet',
  'signal',
  'die',
  'config',
] as const;
export const FIELDS = ['id', 'args', 'pid', 'request_id', 'user'] as const;

/** YAML texts of values that are never a string, an integer pid, or an array of strings. */
export const wrongTypedValue: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '{}',
    '[]',
    '[[]]',
    '{"a":1}',
    '[1, 2]',
    '[null]',
    '["ok", 1]',
    '[true]',
    '[{}]',
    '[["x"]]',
    '{"__proto__":{"x":1}}',
    '.nan',
    '.NaN',
    '.inf',
    '-.inf',
    '1e400',
    '-1e400',
    '[.nan]',
    '{? [1] : 2}',
    '{[1, 2]: 3}',
    '!!set {a, b}',
    '&x [*x]',
  ),
  fc
    .array(
      fc.oneof(
        fc.integer(),
        fc.boolean(),
        fc.constant('null'),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
      ),
      { minLength: 1, maxLength: 4 },
    )
    .map((items) => `[${items.map(String).join(', ')}]`),
  fc
    .dictionary(fc.string({ maxLength: 6 }), fc.integer(), {
      minKeys: 1,
      maxKeys: 3,
    })
    .map((o) => JSON.stringify(o)),
);

/** Scalars that are valid in one field and wrong in another (a string pid, a float pid, …). */
export const oddScalar: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    'null',
    '~',
    'true',
    'false',
    'yes',
    'no',
    'on',
    'off',
    'Y',
    'n',
    '0',
    '-1',
    '-0',
    '0.5',
    '1.0',
    '1e3',
    '1.0e+3',
    '0x1F',
    '0o17',
    '017',
    '1_000',
    '1,000',
    '1:20',
    '12345678901234567890123',
    '2147483648',
    '9007199254740993',
    '""',
    "''",
    '"12"',
    "'7'",
    '"\\u0000"',
    '"\\ud83d\\ude00"',
    '"\\ud800"',
    '2020-01-01',
    '2001-12-14t21:59:43.10-05:00',
    '2002-12-14 21:59:43.10 -5',
    ':sym',
    '":sym"',
    '<<',
    '=',
    '"%0A"',
    '"%25"',
  ),
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 }).map(String),
  fc
    .double({ noNaN: true })
    .map((d) => (Number.isFinite(d) ? String(d) : d > 0 ? '.inf' : '-.inf')),
  fc.string({ maxLength: 12 }).map((s) => JSON.stringify(s)),
);

/** Explicit YAML tags: code execution in Ruby's/Python's unsafe loaders, custom, and core tags. */
export const tagged: fc.Arbitrary<string> = fc.constantFrom(
  '!ruby/object:Object {}',
  '!ruby/object:Gem::Installer {i: x}',
  '!ruby/hash:Hash {command: state}',
  '!ruby/class "Kernel"',
  '!ruby/sym state',
  '!ruby/regexp /.*/',
  '!ruby/struct:Struct {}',
  '!!python/object/apply:os.system ["id"]',
  '!!python/object/new:subprocess.Popen [["id"]]',
  '!!python/name:os.system',
  '!!js/function "function(){ return 1 }"',
  '!!js/undefined ""',
  '!custom state',
  '!<tag:evil.example,2024:x> {}',
  '!<!> state',
  '!!binary aGVscA==',
  '!!timestamp 2001-12-14',
  '!!float 1',
  '!!int "7"',
  '!!map {command: state}',
  '!!seq [a]',
  '!!omap [{a: 1}]',
  '!!pairs [{a: 1}]',
  '!!set {a, b}',
  '!!null ""',
  '!!bool yes',
  '!!merge <<',
  '!!value =',
  '!!str state',
);

/** A billion-laughs document: `levels` anchors, each `width` aliases of the previous one. */
export function aliasBomb(levels: number, width: number): string {
  const parts = ['a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let i = 1; i < levels; i++)
    parts.push(`a${i}: &a${i} [${Array.from({ length: width }, () => `*a${i - 1}`).join(', ')}]`);
  return `{${parts.join(', ')}}`;
}

export const aliasGames: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(fc.integer({ min: 2, max: 12 }), fc.integer({ min: 2, max: 12 }))
    .map(([levels, width]) => aliasBomb(levels, width)),
  fc.constantFrom(
    '&a [*a]',
    '{a: &a {b: *a}}',
    '*undefined',
    '&a',
    '*',
    '&a &b x',
    '{&a k: 1, *a : 2}',
    '[&x 1, *x, *x, *x]',
    '{<<: [*x]}',
    '{<<: &m {x: 1}, y: *m}',
  ),
);

/** Nesting of `depth` levels in several shapes, balanced or not. */
export function nested(
  shape: 'seq' | 'map' | 'open-seq' | 'open-map' | 'mixed',
  depth: number,
): string {
  switch (shape) {
    case 'seq':
      return `${'['.repeat(depth)}1${']'.repeat(depth)}`;
    case 'map':
      return `${'{a: '.repeat(depth)}1${'}'.repeat(depth)}`;
    case 'open-seq':
      return '['.repeat(depth);
    case 'open-map':
      return '{a: '.repeat(depth);
    case 'mixed':
      return `${'[{a: '.repeat(depth)}1${'}]'.repeat(depth)}`;
  }
}

export const nesting: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom<Parameters<typeof nested>[0]>('seq', 'map', 'open-seq', 'open-map', 'mixed'),
    fc.constantFrom(2, 100, 255, 256, 257, 1000, 5000, 10_000),
  )
  .map(([shape, depth]) => nested(shape, depth));

/** Byte sequences that are not UTF-8, or are UTF-8 a decoder should think twice about. */
export const INVALID_UTF8: readonly (readonly number[])[] = [
  [0xc0, 0x80],
  [0xc1, 0xbf],
  [0xff],
  [0xfe],
  [0x80],
  [0xbf, 0xbf],
  [0xed, 0xa0, 0x80],
  [0xed, 0xbf, 0xbf],
  [0xf4, 0x90, 0x80, 0x80],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
  [0xe2, 0x82],
  [0xf0, 0x9f, 0x98],
  [0xe0, 0x80, 0xaf],
  [0xef, 0xbb, 0xbf],
  [0xef, 0xbf, 0xbe],
  [0x00],
  [0x1b, 0x5b, 0x32, 0x4a],
];

export const badBytes: fc.Arbitrary<number[]> = fc.oneof(
  fc.constantFrom(...INVALID_UTF8).map((bytes) => [...bytes]),
  fc.array(fc.integer({ min: 0x80, max: 0xff }), {
    minLength: 1,
    maxLength: 16,
  }),
  fc.array(
    fc.integer({ min: 0, max: 0xff }).filter((b) => b !== 0x0a),
    { minLength: 1, maxLength: 32 },
  ),
);
