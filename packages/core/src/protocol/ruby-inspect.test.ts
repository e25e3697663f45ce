import { describe, expect, it } from 'vitest';
import { rubyClassName, rubyInspect } from './ruby-inspect.ts';

// Expected texts were produced by `ruby -e 'p VALUE'` with Ruby 3.1.
describe('rubyInspect', () => {
  it.each([
    ['stat%65', '"stat%65"'],
    ['a\x01\x7f\x1b\t\n"\\é#x', '"a\\u0001\\u007F\\e\\t\\n\\"\\\\é#x"'],
    ['#{x}', '"\\#{x}"'],
    ['', '""'],
  ])('inspects the string %j like Ruby', (value, expected) => {
    expect(rubyInspect(value)).toBe(expected);
  });

  it.each([
    [42, '42'],
    [2.5, '2.5'],
    [1e20, '100000000000000000000'],
    [1e-5, '1.0e-05'],
    [-1.5e-7, '-1.5e-07'],
    [0.0001, '0.0001'],
    [null, 'nil'],
    [true, 'true'],
    [{ a: 1, b: [1, 2.5, null, true] }, '{"a"=>1, "b"=>[1, 2.5, nil, true]}'],
  ])('inspects %j like Ruby', (value, expected) => {
    expect(rubyInspect(value)).toBe(expected);
  });

  it.each([
    ['x', 'String'],
    [1, 'Integer'],
    [1.5, 'Float'],
    [true, 'TrueClass'],
    [false, 'FalseClass'],
    [null, 'NilClass'],
    [[1], 'Array'],
    [{}, 'Hash'],
  ])('names the class of %j', (value, expected) => {
    expect(rubyClassName(value)).toBe(expected);
  });
});
