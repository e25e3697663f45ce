import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeMessage } from './decode.ts';
import { encodeMessage } from './encode.ts';

/**
 * Golden tests against Ruby's Psych, the YAML parser einhorn uses. The Ruby side is written
 * here from the protocol description (two-sequence unescape, then `YAML.safe_load`), not
 * copied from einhorn.
 */
const RUBY = process.env['EINHORN_RUBY'] ?? 'ruby';

const RUBY_SCRIPT = String.raw`
require 'yaml'
require 'json'
mode = ARGV.fetch(0)
$stdout.sync = true
# JSON cannot carry NaN or Infinity; tag them so the JS side can compare.
fix = lambda do |v|
  case v
  when Float then v.finite? ? v : { '$float' => v.to_s }
  when Array then v.map(&fix)
  when Hash then v.to_h { |k, x| [k, fix.call(x)] }
  else v
  end
end
$stdin.each_line do |raw|
  line = raw.force_encoding('UTF-8').chomp("\n")
  begin
    if mode == 'load'
      body = line.gsub(/%(25|0A)/) { $1 == '25' ? '%' : "\n" }
      puts JSON.generate({ 'ok' => fix.call(YAML.safe_load(body)) })
    else
      dumped = YAML.dump(JSON.parse(line))
      puts dumped.gsub(/[%\n]/) { |c| c == '%' ? '%25' : '%0A' }
    end
  rescue Exception => e
    puts JSON.generate({ 'error' => "#{e.class}: #{e.message}" })
  end
end
`;

function rubyAvailable(): boolean {
  const probe = spawnSync(RUBY, ['-ryaml', '-rjson', '-e', 'exit 0'], { encoding: 'utf8' });
  return probe.status === 0;
}

/** Runs the Ruby script over `lines` (one per input line) and returns its output lines. */
function runRuby(mode: 'load' | 'dump', lines: readonly string[]): string[] {
  const result = spawnSync(RUBY, ['-E', 'UTF-8:UTF-8', '-e', RUBY_SCRIPT, mode], {
    input: lines.map((line) => `${line}\n`).join(''),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' },
  });
  if (result.status !== 0)
    throw new Error(`ruby exited with ${String(result.status)}: ${result.stderr}`);
  const out = result.stdout.split('\n');
  out.pop();
  expect(out).toHaveLength(lines.length);
  return out;
}

/** What a JSON round trip makes of a value, with unpaired surrogates as U+FFFD (what UTF-8 carries). */
function jsonModel(value: unknown): unknown {
  const wellFormed = (text: string): string => text.replace(/[\uD800-\uDFFF]/gu, '\uFFFD');
  const replacer = (_key: string, field: unknown): unknown => {
    if (typeof field === 'string') return wellFormed(field);
    if (typeof field !== 'object' || field === null || Array.isArray(field)) return field;
    return Object.fromEntries(
      Object.entries(field).map(([key, inner]) => [wellFormed(key), inner]),
    );
  };
  return JSON.parse(JSON.stringify(value, replacer)) as unknown;
}

const tricky = [
  '',
  ' ',
  '  leading',
  'trailing  ',
  '%',
  '%%',
  '%0A',
  '%25',
  '%2541',
  '%0a',
  'stat%65',
  '100%',
  'a\nb',
  '\n',
  '\n\n',
  'a\r\nb',
  '\r',
  '\t',
  'tab\there',
  'quote"s',
  "single'quote",
  'back\\slash',
  '\\n',
  'colon: space',
  'a:b',
  '# comment',
  'a #b',
  '- dash',
  '---',
  '...',
  '? q',
  '[x]',
  '{y}',
  '&anchor',
  '*alias',
  '!tag',
  '!!str',
  '|',
  '>',
  '@at',
  '`tick`',
  '<<',
  '=',
  'yes',
  'no',
  'on',
  'off',
  'Yes',
  'NO',
  'y',
  'n',
  'true',
  'false',
  'null',
  'Null',
  '~',
  '1e3',
  '1.5e3',
  '1e+21',
  '1:20',
  '0x1F',
  '017',
  '0b101',
  '1,000',
  '1_000',
  '.5',
  '1.',
  '.inf',
  '-.inf',
  '.nan',
  '2020-01-01',
  '2001-12-14t21:59:43.10-05:00',
  ':sym',
  '12345',
  '-0',
  '+1',
  'é',
  'naïve café',
  '日本語',
  '😀',
  'a😀b',
  '\u0085',
  '\u2028',
  '\u2029',
  '\u00a0',
  '\u007f',
  '\u0080',
  '\u009f',
  '\ufeff',
  '\ufffd',
  '\u0000',
  '\u001b',
  'x\u0007y',
  '\uD800',
  'lone\uDC00',
  'Welcome, a%b!',
  'line1\nline2 100%',
  'Unrecognized command: "bogus"\n\nhelp: x',
];

const corpus: Record<string, unknown>[] = [
  { command: 'worker:ack', pid: 12345 },
  { command: 'worker:ping', pid: 1, request_id: 'req-42' },
  { id: 1, command: 'inc', args: [] },
  { id: 1, command: 'set_workers', args: ['3'] },
  { id: 'abc', command: 'signal', args: ['sigwinch', 'hup'] },
  { command: 'ehlo', user: 'probeuser' },
  { command: 'louder', id: null },
  { command: 'config', args: ['{number: 3}'], id: true },
  { message: 'Incrementing number of workers from 2 -> 3', request_id: 1 },
  { message: '', request_id: 1 },
  { message: '\n', request_id: 1 },
  { message: 'Einhorn is going down! ', request_id: 1 },
  { message: 'Upgrading smoothly, as commanded', request_id: 1, wait: true },
  { numbers: [0, -1, 1.5, -0.5, 1e21, 5e-7, 2 ** 53, -(2 ** 31), 1e300, 123456789.125, 0.1] },
  { nested: { a: [1, [2, [3, { b: null }]]], c: {}, d: [] }, flags: [true, false] },
  ...tricky.map((text) => ({ text })),
  Object.fromEntries(tricky.map((text, index) => [text, index])),
  { list: tricky },
];

const messageArbitrary = fc.dictionary(
  fc.string({ unit: 'binary' }),
  fc.jsonValue({
    stringUnit: fc.constantFrom('binary', 'grapheme', 'grapheme-ascii'),
    maxDepth: 3,
  }),
);
const sampled = fc.sample(messageArbitrary, { seed: 20_241_125, numRuns: 300 });
const sampledStrings = fc
  .sample(fc.string({ unit: 'binary', maxLength: 40 }), { seed: 7, numRuns: 300 })
  .map((text) => ({ text }));

/** Our decoding in the Ruby script's JSON shape: non-finite floats tagged as Ruby prints them. */
function tagNonFinite(value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    return { $float: Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity' };
  }
  if (Array.isArray(value)) return value.map(tagNonFinite);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [key, tagNonFinite(inner)]),
    );
  }
  return value;
}

/** Hand-written plain scalars: where YAML 1.1, YAML 1.2 and Psych disagree. */
const plainScalars = [
  'y',
  'Y',
  'n',
  'N',
  'yes',
  'Yes',
  'YES',
  'yEs',
  'no',
  'NO',
  'nO',
  'on',
  'On',
  'ON',
  'oN',
  'off',
  'Off',
  'OFF',
  'true',
  'True',
  'TRUE',
  'tRuE',
  'false',
  'FALSE',
  'null',
  'Null',
  'NULL',
  'nUlL',
  '~',
  '',
  'yess',
  'nope',
  'o',
  't',
  'f',
  '0',
  '-0',
  '+0',
  '00',
  '007',
  '08',
  '0o17',
  '017',
  '0x1F',
  '0x1f',
  '-0x1F',
  '0X1F',
  '0b101',
  '-0b101',
  '0b',
  '0x',
  '0b_',
  '0x_',
  '1_000',
  '1__000',
  '1,000',
  '1,0,0',
  ',1',
  '1,',
  '_1',
  '1_',
  '12345678901234567890',
  '1e3',
  '1E3',
  '1e+3',
  '1.0e+3',
  '1.5e3',
  '1.5e-3',
  '1.5E+3',
  '.5',
  '-.5',
  '+.5',
  '5.',
  '1.',
  '-1.',
  '.',
  '-.',
  '+.',
  '.e+5',
  '1.2.3',
  '1..2',
  '1_0.5',
  '1,000.5',
  '.inf',
  '.Inf',
  '.INF',
  '+.inf',
  '-.inf',
  '-.Inf',
  '.nan',
  '.NaN',
  '.NAN',
  'inf',
  'nan',
  'Infinity',
  '1:20',
  '-1:20',
  '+1:20',
  '1:20:30',
  '1:2',
  '1:60',
  '1:20:30:40',
  '1_0:20',
  '1:20.5',
  '1:20:30.5',
  '1:20.',
  '190:20:30',
  ':sym',
  ':"q"',
  'a:b',
  '2020-01-01',
  '2020-1-1',
  '2020-13-45',
  '2001-12-14t21:59:43.10-05:00',
  '2001-12-14 21:59:43.10 -5',
  '2001-12-14T21:59:43Z',
  '20:59',
  'a b',
  'hello world',
  'é',
  'x=1',
  'a;b',
  '~x',
  '=',
  'tilde~',
  'foo_bar',
  'Foo',
  '12ab',
  'ab12',
  '1 2',
  '- 1',
  '-1',
  '+1',
  '+-1',
  '--1',
];
const TIMESTAMP_OR_DATE = /^\d{4}-\d{1,2}-\d{1,2}/;

const haveRuby = rubyAvailable();

describe.runIf(!haveRuby && process.env['CI'] !== undefined)('Psych golden tests', () => {
  it('requires ruby in CI', () => {
    throw new Error(
      `"${RUBY}" with yaml and json is required in CI for the Psych golden tests; install ruby (apt-get install ruby).`,
    );
  });
});

describe.skipIf(!haveRuby)(
  `Psych golden tests${haveRuby ? '' : ' (skipped: ruby not found; install ruby to run them)'}`,
  () => {
    const values = [...corpus, ...sampled, ...sampledStrings];

    it('Psych loads every line encodeMessage writes to the same value (fixed corpus + 600 sampled)', () => {
      const out = runRuby(
        'load',
        values.map((value) => encodeMessage(value).slice(0, -1)),
      );
      out.forEach((line, index) => {
        expect({ input: values[index], psych: JSON.parse(line) as unknown }).toEqual({
          input: values[index],
          psych: { ok: jsonModel(values[index]) },
        });
      });
    });

    it('decodeMessage resolves plain scalars as Psych does (hand-written table + sampled numeric-looking text)', () => {
      const sampledScalars = fc.sample(
        fc.string({
          unit: fc.constantFrom(...'0123456789.,_:+-eExXbBoO yYnN~'.split('')),
          maxLength: 8,
        }),
        { seed: 11, numRuns: 400 },
      );
      const scalars = [...plainScalars, ...sampledScalars];
      const lines = scalars.map((scalar) => `v: ${scalar}`);
      const out = runRuby('load', lines);
      out.forEach((line, index) => {
        const psych = JSON.parse(line) as { ok?: unknown; error?: string };
        const scalar = scalars[index];
        let ours: { ok: unknown } | { error: string };
        try {
          ours = { ok: tagNonFinite(decodeMessage(lines[index] ?? '')) };
        } catch (error) {
          ours = { error: String(error) };
        }
        if (psych.error?.startsWith('Psych::DisallowedClass') === true) {
          // Psych builds a Date, Time or Symbol, which safe_load refuses; we keep the text (documented).
          expect({ scalar, ours }).toEqual({ scalar, ours: { ok: { v: scalar?.trim() } } });
          expect(TIMESTAMP_OR_DATE.test(scalar ?? '') || scalar?.startsWith(':')).toBe(true);
        } else if (psych.error !== undefined) {
          expect({ scalar, psych: psych.error, failed: 'error' in ours }).toEqual({
            scalar,
            psych: psych.error,
            failed: true,
          });
        } else {
          expect({ scalar, ours }).toEqual({ scalar, ours: { ok: psych.ok } });
        }
      });
    });

    it('decodeMessage reads every line Psych writes (YAML.dump, escaped) to the same value', () => {
      const models = values.map(jsonModel);
      const out = runRuby(
        'dump',
        models.map((value) => JSON.stringify(value)),
      );
      out.forEach((line, index) => {
        expect(line.startsWith('{"error"'), line).toBe(false);
        expect({ line, decoded: decodeMessage(line) }).toEqual({ line, decoded: models[index] });
      });
    });
  },
);
