import { describe, expect, it } from 'vitest';
import { resolvePlainScalar, UnresolvableScalarError } from './psych-scalar.ts';

describe('resolvePlainScalar (Psych 4 ScalarScanner semantics)', () => {
  it.each([
    ['', null],
    ['~', null],
    ['null', null],
    ['NuLl', null],
    ['yes', true],
    ['yEs', true],
    ['ON', true],
    ['true', true],
    ['no', false],
    ['Off', false],
    ['FALSE', false],
    ['y', 'y'],
    ['n', 'n'],
    ['yess', 'yess'],
    ['noway', 'noway'],
    ['0', 0],
    ['-0', 0],
    ['42', 42],
    ['-17', -17],
    ['+5', 5],
    ['1_000', 1000],
    ['1,000', 1000],
    ['0x1F', 31],
    ['-0x1f', -31],
    ['0b101', 5],
    ['017', 15],
    ['08', '08'],
    ['0o17', '0o17'],
    ['1e3', '1e3'],
    ['1e+3', '1e+3'],
    ['1.0e+3', 1000],
    ['1.5e-3', 0.0015],
    ['.5', 0.5],
    ['-.5', -0.5],
    ['5.', 5],
    ['.', '.'],
    ['-.', '-.'],
    ['1,000.5', 1000.5],
    ['1:20', 4800],
    ['1:20:30', 4830],
    ['-1:20', -2400],
    ['1:20.5', 4830],
    ['2020-01-01', '2020-01-01'],
    ['2001-12-14t21:59:43.10-05:00', '2001-12-14t21:59:43.10-05:00'],
    [':sym', ':sym'],
    ['a b', 'a b'],
    ['hello', 'hello'],
  ] as const)('%j → %j', (text, expected) => {
    expect(resolvePlainScalar(text)).toEqual(expected);
  });

  it('resolves .inf, -.inf and .nan to non-finite numbers', () => {
    expect(resolvePlainScalar('.inf')).toBe(Number.POSITIVE_INFINITY);
    expect(resolvePlainScalar('-.Inf')).toBe(Number.NEGATIVE_INFINITY);
    expect(resolvePlainScalar('.NaN')).toBeNaN();
  });

  it.each(['.e+5', '-.e+5', '0b_', '0x_', '0x,'])('%j is an error where Psych raises', (text) => {
    expect(() => resolvePlainScalar(text)).toThrow(UnresolvableScalarError);
  });
});
