// Generators of JSON-ish line bodies for comparing decodeMessage's JSON fast path with its YAML
// path: mostly valid JSON objects, written token by token so that the text itself varies (escape
// styles, number spellings, whitespace, duplicate and `<<` keys, raw characters libyaml refuses,
// lone surrogates, deep nesting), plus some tokens that are YAML but not JSON.
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';

/** Raw characters worth mixing into strings: each one matters to one of the two parsers. */
const TRICKY_CHARS = [
  ...'aZ09 "\\/%#:,{}[]-<>&*!|\''.split(''), // ASCII only
  '\t',
  '\n',
  '\r',
  '\u0000',
  '\u001f',
  '\u007f',
  '\u0080',
  '\u0085',
  '\u009f',
  '\u00a0',
  'é',
  '\u2028',
  '\u2029',
  '\ud7ff',
  '\ud800',
  '\udfff',
  '\ue000',
  '\ufeff',
  '\ufffd',
  '\ufffe',
  '\uffff',
  '😀',
];

const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '/': '\\/',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

type Style = 'raw' | 'short' | 'unicode';

/** One UTF-16 unit or surrogate pair of a string value, written in one of JSON's styles. */
function writeChar(char: string, style: Style): string {
  const short = SHORT_ESCAPES[char];
  if (style === 'short' && short !== undefined) return short;
  if (style === 'unicode' || char === '"' || char === '\\' || char < ' ') {
    return [...Array(char.length).keys()]
      .map((i) => `\\u${char.charCodeAt(i).toString(16).padStart(4, '0')}`)
      .join('');
  }
  return char; // raw, even where JSON or YAML refuses it
}

const charArbitrary = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...'abcdefgh_-. '.split('')) },
  { weight: 2, arbitrary: fc.constantFrom(...TRICKY_CHARS) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
);
const styleArbitrary = fc.constantFrom<Style>('raw', 'raw', 'raw', 'short', 'unicode');

export const stringToken: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .array(fc.tuple(charArbitrary, styleArbitrary), { maxLength: 12 })
      .map((chars) => `"${chars.map(([char, style]) => writeChar(char, style)).join('')}"`),
  },
  { weight: 1, arbitrary: fc.nat({ max: 1200 }).map((n) => `"${'k'.repeat(n)}"`) },
);

const keyToken = fc.oneof(
  { weight: 6, arbitrary: stringToken },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '"id"',
      '"command"',
      '"<<"',
      '"\\u003c<"',
      '"__proto__"',
      '"constructor"',
      '""',
      '"1"',
    ),
  },
);

const digits = fc.stringMatching(/^\d{1,25}$/);

export const numberToken: fc.Arbitrary<string> = fc.oneof(
  fc.integer().map(String),
  fc.nat({ max: 99_999 }).map(String),
  fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }).map(String),
  fc.tuple(fc.integer({ min: -1000, max: 1000 }), digits).map(([int, fraction]) => {
    return `${int === 0 && fraction.length % 2 === 0 ? '-0' : String(int)}.${fraction}`;
  }),
  fc
    .tuple(fc.integer({ min: -99, max: 99 }), fc.constantFrom('e', 'E'), fc.integer())
    .map(
      ([mantissa, e, exponent]) => `${mantissa}.5${e}${exponent >= 0 ? '+' : ''}${exponent % 400}`,
    ),
  fc.constantFrom(
    ...['0', '-0', '-0.0', '0.0', '1e3', '1.5e3', '1.5e+3', '1E+3', '-1.5e-3', '1e-7', '1.0'],
    ...['01', '-', '1.', '.5', '+1', '0x10', '1_000', '9007199254740993', '1'.padEnd(400, '0')],
  ),
);

const literalToken = fc.constantFrom('true', 'false', 'null', 'yes', 'off', '~', '.inf', 'True');

/** What goes between tokens: mostly nothing or spaces; sometimes what YAML reads differently. */
const gap = fc.oneof(
  { weight: 24, arbitrary: fc.constant('') },
  { weight: 6, arbitrary: fc.constantFrom(' ', '  ') },
  { weight: 1, arbitrary: fc.constantFrom('\t', '\n', '\r\n', ' \n  ', '\n\t', '\u00a0') },
);

const leaf = fc.oneof(
  { weight: 4, arbitrary: stringToken },
  { weight: 4, arbitrary: numberToken },
  { weight: 2, arbitrary: literalToken },
);

function object(entries: readonly [string, string, string][]): string {
  return `{${entries.map(([key, space, value]) => `${key}${space}:${space}${value}`).join(',')}}`;
}

const { value: valueToken } = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc
      .array(fc.tuple(keyToken, gap, tie('value')), { maxLength: 5 })
      .map((entries) => object(entries)),
    fc.array(tie('value'), { maxLength: 4 }).map((items) => `[${items.join(',')}]`),
  ),
}));

/** Wraps a value in `depth` levels of `{"d":…}` or `[…]`, around MAX_FAST_DEPTH and MAX_DEPTH. */
const deep = fc
  .tuple(fc.constantFrom(63, 64, 65, 255, 256, 257), fc.boolean(), valueToken)
  .map(([depth, inArray, inner]) => {
    const [open, close] = inArray ? ['[', ']'] : ['{"d":', '}'];
    return `{"d":${open.repeat(depth - 1)}${inner}${close.repeat(depth - 1)}}`;
  });

/** What JSON.stringify writes for fast-check's own JSON values (its strings and doubles). */
const stringified = fc
  .dictionary(
    fc.string({ unit: fc.constantFrom('grapheme', 'binary') }),
    fc.jsonValue({ stringUnit: fc.constantFrom('grapheme', 'binary', 'grapheme-ascii') }),
    { maxKeys: 6 },
  )
  .map((value) => JSON.stringify(value));

/** A line body: usually one JSON object, sometimes deep, sometimes another top-level value. */
export const jsonishBody: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: stringified },
  {
    weight: 12,
    arbitrary: fc
      .tuple(gap, fc.array(fc.tuple(keyToken, gap, valueToken), { maxLength: 6 }), gap)
      .map(([before, entries, after]) => `${before}${object(entries)}${after}`),
  },
  { weight: 1, arbitrary: deep },
  { weight: 1, arbitrary: valueToken },
);

/** Equal values, with `-0` distinct from `0` and the same key order at every level. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (!isDeepStrictEqual(a, b)) return false;
  if (typeof a !== 'object' || a === null) return true;
  const keys = Object.keys(a);
  if (keys.join('\u0000') !== Object.keys(b as object).join('\u0000')) return false;
  return keys.every((key) =>
    sameValue((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]),
  );
}
