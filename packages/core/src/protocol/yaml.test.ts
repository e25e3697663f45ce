import { describe, expect, it } from 'vitest';
import { MAX_ALIAS_COUNT, parseYamlData, YamlRejectedError } from './yaml.ts';

describe('parseYamlData', () => {
  it('reads block and flow YAML and JSON into plain data', () => {
    expect(parseYamlData('---\nid: 1\ncommand: inc\nargs: []\n')).toEqual({
      id: 1,
      command: 'inc',
      args: [],
    });
    expect(parseYamlData('{"command":"worker:ack","pid":123}')).toEqual({
      command: 'worker:ack',
      pid: 123,
    });
    expect(parseYamlData("args:\n- '3'\n- sigwinch\n")).toEqual({ args: ['3', 'sigwinch'] });
    expect(parseYamlData('message: |\n  a\n  b\n')).toEqual({ message: 'a\nb\n' });
    expect(parseYamlData('message: "\\n"')).toEqual({ message: '\n' });
  });

  it('returns null for an empty document or a comment', () => {
    expect(parseYamlData('')).toBeNull();
    expect(parseYamlData('# only a comment')).toBeNull();
    expect(parseYamlData('---')).toBeNull();
  });

  it('keeps the last of duplicate keys', () => {
    expect(parseYamlData('{"a":1,"a":2}')).toEqual({ a: 2 });
    expect(parseYamlData('a: 1\na: 2\n')).toEqual({ a: 2 });
  });

  it('folds a raw newline inside a quoted scalar to a space, as YAML does (why JSON must use \\n, check 55)', () => {
    expect(parseYamlData('{"message":"line1\nline2"}')).toEqual({ message: 'line1 line2' });
  });

  it.each([
    '--- !ruby/object:Object {}',
    '!ruby/object:Gem::Installer {}',
    'a: !!binary aGVsbG8=',
    'a: !!int "3"',
    'a: !!timestamp 2001-12-14',
    'a: !!set {x}',
    'a: !custom x',
    'a: ! x',
    '!!map {a: 1}',
    '%TAG !e! tag:example.com,2000:\n--- !e!foo x',
  ])('P3, check 52: rejects an explicit tag without running it: %j', (text) => {
    expect(() => parseYamlData(text)).toThrow(YamlRejectedError);
  });

  it('accepts !!str, which Psych itself writes for "<<", and does not merge a !!str key', () => {
    expect(parseYamlData("a: !!str '<<'\nb: !!str 12")).toEqual({ a: '<<', b: '12' });
    expect(parseYamlData("!!str '<<': {x: 1}")).toEqual({ '<<': { x: 1 } });
  });

  it('merges << keys the way Psych does (later keys overwrite, earlier sequence entries win)', () => {
    expect(parseYamlData('base: &b {x: 1, y: 2}\nobj:\n  z: 0\n  <<: *b\n')).toEqual({
      base: { x: 1, y: 2 },
      obj: { z: 0, x: 1, y: 2 },
    });
    expect(parseYamlData('{x: 1, <<: {x: 2}}')).toEqual({ x: 2 });
    expect(parseYamlData('{<<: {x: 2}, x: 1}')).toEqual({ x: 1 });
    expect(parseYamlData('{<<: [{x: 1}, {x: 2, y: 3}]}')).toEqual({ x: 1, y: 3 });
    expect(parseYamlData('{<<: 5}')).toEqual({ '<<': 5 });
    expect(parseYamlData('{<<: [1, 2]}')).toEqual({ '<<': [1, 2] });
  });

  it('follows aliases, up to a bound, and rejects recursive ones', () => {
    expect(parseYamlData('a: &x [1, 2]\nb: *x')).toEqual({ a: [1, 2], b: [1, 2] });
    const many = `a: &x 1\nb: [${Array.from({ length: MAX_ALIAS_COUNT }, () => '*x').join(', ')}]`;
    expect((parseYamlData(many) as { b: unknown[] }).b).toHaveLength(MAX_ALIAS_COUNT);
    const tooMany = `a: &x 1\nb: [${Array.from({ length: MAX_ALIAS_COUNT + 1 }, () => '*x').join(', ')}]`;
    expect(() => parseYamlData(tooMany)).toThrow(/more than 100 aliases/);
    expect(() => parseYamlData('a: &x [*x]')).toThrow(/own ancestor/);
    expect(() => parseYamlData('a: &x {b: *x}')).toThrow(/own ancestor/);
    expect(() => parseYamlData('a: *nope')).toThrow(YamlRejectedError);
  });

  it('check 52: an alias bomb fails fast instead of expanding', () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let level = 1; level < 9; level++) {
      const previous = String.fromCharCode(96 + level);
      const name = String.fromCharCode(97 + level);
      levels.push(
        `${name}: &${name} [${Array.from({ length: 10 }, () => `*${previous}`).join(',')}]`,
      );
    }
    expect(() => parseYamlData(levels.join('\n'))).toThrow(/aliases/);
  });

  it('rejects collections nested deeper than the bound, without exhausting the stack', () => {
    expect(parseYamlData(`${'['.repeat(200)}${']'.repeat(200)}`)).toBeDefined();
    expect(() => parseYamlData(`${'['.repeat(300)}${']'.repeat(300)}`)).toThrow(YamlRejectedError);
    expect(() => parseYamlData(`${'['.repeat(100_000)}${']'.repeat(100_000)}`)).toThrow(
      YamlRejectedError,
    );
  });

  it('treats __proto__ as an ordinary key (no prototype pollution)', () => {
    const value = parseYamlData('{"__proto__": {"polluted": true}, "a": 1}') as Record<
      string,
      unknown
    >;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(['__proto__', 'a']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    const merged = parseYamlData('x: &x {"__proto__": {"polluted": true}}\ny: {<<: *x}') as {
      y: Record<string, unknown>;
    };
    expect(Object.getPrototypeOf(merged.y)).toBe(Object.prototype);
    expect(Object.keys(merged.y)).toEqual(['__proto__']);
  });

  it('stringifies scalar keys and rejects collection keys', () => {
    expect(parseYamlData('{1: a, true: b, ~: c, 1.5: d}')).toEqual({
      '1': 'a',
      true: 'b',
      '': 'c',
      '1.5': 'd',
    });
    expect(() => parseYamlData('? [1, 2]\n: x')).toThrow(/collection/);
    expect(() => parseYamlData('a: &k [1]\n*k : x')).toThrow(YamlRejectedError);
  });

  it('rejects more than one document, control characters, and unpaired surrogates', () => {
    expect(() => parseYamlData('--- a\n--- b')).toThrow(/one YAML document/);
    expect(() => parseYamlData('a: "x\u0000"')).toThrow(/U\+0000/);
    expect(() => parseYamlData('a: x\u007f')).toThrow(/U\+007F/);
    expect(() => parseYamlData('{"a":"\\ud800"}')).toThrow(/surrogate/);
    expect(parseYamlData('{"a":"\\ud83d\\ude00"}')).toEqual({ a: '😀' });
    expect(parseYamlData('a: "tab\tand\u0085nel"')).toBeDefined();
  });

  it('rejects syntax errors', () => {
    for (const text of ['garbage: [', '{"a": 1', 'a: b: c', '"unterminated', '- a\nb: c']) {
      expect(() => parseYamlData(text), text).toThrow(YamlRejectedError);
    }
  });
});
