import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { psychDump } from './dump.ts';
import { rubyFloatText } from './float.ts';
import { RubyFloat, RubySet, RubySymbol, RubyTime, symbolHash } from './ruby-value.ts';
import type { RubyValue } from './ruby-value.ts';
import { psychTimeText } from './time.ts';

const APPENDIX_A = fileURLToPath(
  new URL('../../../../test/fixtures/state/einhorn-1.1.1-appendix-a.yaml', import.meta.url),
);

beforeAll(() => {
  process.env['TZ'] = 'UTC'; // Psych writes local time; the Appendix was taken at +00:00
});

const sym = (name: string): RubySymbol => new RubySymbol(name);
const at = (iso: string, micros: number): RubyTime => new RubyTime(Date.parse(iso) + micros / 1000);

/** The state of PROTOCOL Appendix A, as einhorn-node builds such values. */
function appendixState(): RubyValue {
  const first = at('2026-12-06T16:18:08.319Z', 321);
  const last = at('2026-12-06T16:18:08.330Z', 493);
  const child = (index: number, spinup: RubyTime): RubyValue =>
    symbolHash({
      type: sym('worker'),
      version: 0,
      acked: true,
      signaled: new RubySet([]),
      last_signaled_at: null,
      index,
      spinup_time: spinup,
    });
  const cmd = ['/usr/bin/node', '/srv/app/server.js'];
  return symbolHash({
    state: symbolHash({
      children: new Map([
        [19782, child(0, first)],
        [19783, child(1, last)],
      ]),
      config: symbolHash({ number: 2, backlog: 100, seconds: 1 }),
      versions: new Map(),
      version: 0,
      sockets: new Map(),
      orig_cmd: cmd,
      bind: [['127.0.0.1', 18902, []]],
      bind_fds: [7],
      bound_ports: [18902],
      cmd: [...cmd],
      script_name: null,
      respawn: true,
      upgrading: false,
      smooth_upgrade: false,
      reloading_for_upgrade: false,
      path: null,
      cmd_name: null,
      verbosity: 1,
      generation: 0,
      last_spinup: last,
      ack_mode: symbolHash({ type: sym('manual') }),
      kill_children_on_exit: false,
      command_socket_as_fd: false,
      socket_path: '/tmp/run/einhorn.sock',
      pidfile: '/tmp/run/einhorn.pid',
      lockfile: '/tmp/run/einhorn.lock',
      consecutive_deaths_before_ack: 0,
      last_upgraded: null,
      nice: symbolHash({ master: null, worker: null, renice_cmd: '/usr/bin/renice' }),
      reexec_commandline: null,
      drop_environment_variables: [],
      signal_timeout: null,
      preloaded: false,
    }),
  });
}

describe('psychDump', () => {
  it('writes Appendix A byte for byte (times to the microsecond; Node measures no finer)', () => {
    const appendix = readFileSync(APPENDIX_A, 'utf8')
      .replace('08.319321365', '08.319321000')
      .replace('08.330493493', '08.330493000');
    expect(psychDump(appendixState())).toBe(appendix);
  });

  it('anchors only objects used twice, numbered by first reuse (as Ruby prints it); equal but distinct times are not aliased', () => {
    const a = new RubyTime(0);
    const b = new RubyTime(1000);
    const text = psychDump(
      symbolHash({
        x: b,
        y: a,
        z: new RubyTime(0),
        w: a,
        v: b,
        list: [a, new RubySet(['USR2', 'KILL'])],
      }),
    );
    expect(text).toBe(
      [
        '---',
        ':x: &2 1970-01-01 00:00:01.000000000 +00:00',
        ':y: &1 1970-01-01 00:00:00.000000000 +00:00',
        ':z: 1970-01-01 00:00:00.000000000 +00:00',
        ':w: *1',
        ':v: *2',
        ':list:',
        '- *1',
        '- !ruby/object:Set',
        '  hash:',
        '    USR2: true',
        '    KILL: true',
        '',
      ].join('\n'),
    );
  });

  it('writes Floats as Ruby does and refuses what it cannot write exactly', () => {
    expect([1, 0.25, 1e16, 1e20, 1.5e-5, 1e-4, -2.5e-7, 0.1 + 0.2].map(rubyFloatText)).toEqual([
      '1.0',
      '0.25',
      '1.0e+16',
      '1.0e+20',
      '1.5e-05',
      '0.0001',
      '-2.5e-07',
      '0.30000000000000004',
    ]);
    expect(psychDump(symbolHash({ timeout: new RubyFloat(1) }))).toBe('---\n:timeout: 1.0\n');
    expect(() => psychDump(symbolHash({ n: 0.5 }))).toThrow(RangeError);
    expect(() => psychDump(symbolHash({ [`a b`]: 1 }))).toThrow(RangeError);
  });

  it('writes times in the local zone with the offset, as Time.now does', () => {
    process.env['TZ'] = 'Asia/Kolkata';
    try {
      expect(psychTimeText(Date.parse('2026-12-06T16:18:08.319Z') + 0.5)).toBe(
        '2026-12-06 21:48:08.319500000 +05:30',
      );
    } finally {
      process.env['TZ'] = 'UTC';
    }
  });
});

// Strings that exercise every branch of Psych's style choice and libyaml's analysis and folding.
const STRINGS = [
  '/usr/bin/node',
  '127.0.0.1',
  'node',
  'a b',
  'a: b',
  'a:b',
  '-x',
  '- x',
  '--flag=1',
  '',
  ' lead',
  'trail ',
  '1',
  '1.5',
  'true',
  'yes',
  'null',
  '~',
  'y',
  'n',
  'Y',
  '0x1F',
  '08',
  '2020-01-01',
  '2020-01-01 10:00:00',
  '#x',
  'a #b',
  'a#b',
  '@x',
  '`x',
  '%x',
  '!x',
  '&x',
  '*x',
  '[x',
  'x]',
  'x,y',
  '{x',
  '?x',
  '? x',
  ':x',
  ':sym',
  'é',
  'naïve path',
  'tab\there',
  'a\nb',
  'a\n',
  '\n',
  'a\n\n',
  ' a\nb',
  'a\nb\n\n',
  'a\nb\n',
  'a \nb',
  'a\n b',
  'quote"s',
  "it's",
  'back\\slash',
  'SIGUSR2',
  'r',
  '---',
  '...',
  '--- x',
  '=',
  '<<',
  'x'.repeat(90),
  Array(20).fill('word').join(' '),
  `/${'a'.repeat(90)}`,
  'ctrl\u0001x',
  '\u00a0nb',
  'a\r',
  '1:20',
  '1_000',
  '.5',
  '+1',
  '-1',
  '1e3',
  'on',
  'Off',
  'NULL',
  '0o7',
  ':',
  '-',
  'a:',
  'http://x',
  'a - b',
  'x '.repeat(50),
  'emoji 😀',
  '\ufeffbom',
  'ls\u2028x',
  'nel\u0085x',
  "it's a long sentence with 'quotes' and spaces that goes on and on past eighty columns for sure",
  '"dq" start and a long tail of words that goes past the eighty column limit of libyaml ok',
  '/path with spaces/that is very long/and keeps going/past eighty columns/for the folding/test',
  'a  b',
  `${'x'.repeat(70)}  y  z  w`,
  `-${' word'.repeat(30)}`,
  "'",
  '"',
  '\\',
  '0',
  '0.0',
  '.inf',
  '-.inf',
  '.nan',
  '1,000',
  '0b101',
  '12:30:45',
  'café au lait',
  '日本語',
  'a\n\nb',
  '\nlead',
  '  a\nb',
  'a\n\n\n',
  'a\nb\n\n\n',
  'a\nb\n\n',
];

/** Ruby's Psych is there, or (outside CI) the golden tests that need it have nothing to compare. */
function rubyAvailable(): boolean {
  if (spawnSync('ruby', ['-e', '0']).status === 0) return true;
  if (process.env['CI'] === 'true') throw new Error('ruby is required in CI for this golden test');
  return false;
}

/**
 * Dumps each string as a value, in a sequence, nested and last in the document, with Ruby's
 * `YAML.dump` and with psychDump, and expects the same text.
 */
function expectDumpsLikeRuby(strings: readonly string[]): void {
  const script = `require 'yaml'; require 'json'
JSON.parse(STDIN.read).each { |s| print YAML.dump({k: s, list: [s, [s]], deep: {inner: {k: s}}}); print "\\0" }`;
  const ruby = spawnSync('ruby', ['-e', script], {
    input: JSON.stringify(strings),
    encoding: 'utf8',
  });
  expect(ruby.status, ruby.stderr).toBe(0);
  const theirs = ruby.stdout.split('\0').slice(0, -1);
  const mine = strings.map((s) =>
    psychDump(
      symbolHash({ k: s, list: [s, [s]], deep: symbolHash({ inner: symbolHash({ k: s }) }) }),
    ),
  );
  expect(mine).toEqual(theirs);
}

describe('psychDump strings, against Ruby Psych itself', () => {
  it('quotes, escapes and folds every string exactly as YAML.dump does, as a value, in a sequence, nested, and last in the document', () => {
    if (rubyAvailable()) expectDumpsLikeRuby(STRINGS);
  });
});

describe('psychDump strings near the fold width, against Ruby Psych itself', () => {
  it('writes random strings of words, spaces, quotes and breaks exactly as YAML.dump does', () => {
    if (!rubyAvailable()) return;
    // Lengths around libyaml's 80 columns, at three indents: where folding starts or does not.
    const piece = fc.oneof(
      { arbitrary: fc.constantFrom(' ', 'word', 'x', 'é'), weight: 12 },
      { arbitrary: fc.constantFrom('  ', "'", '"', ':', '#', '-', '\n', '😀'), weight: 1 },
    );
    const strings = fc.sample(
      fc.array(piece, { minLength: 10, maxLength: 90, size: 'max' }).map((parts) => parts.join('')),
      { numRuns: 300, seed: 20261207 },
    );
    expectDumpsLikeRuby(strings);
  });
});
