import { isEinhornError } from '@einhorn/core';
import { describe, expect, it } from 'vitest';
import { OptionsValidator, checkContextOptions } from './validate.ts';

/** Runs the checks and returns what `throwIfInvalid` reports, or `'valid'`. */
function report(
  options: unknown,
  check: (v: OptionsValidator) => void,
): { message: string; details: unknown; cause: string } | 'valid' {
  const v = new OptionsValidator(options);
  check(v);
  try {
    v.throwIfInvalid('test() options');
  } catch (error) {
    if (!isEinhornError(error, 'ERR_EINHORN_INVALID_OPTIONS')) throw error;
    return {
      message: error.message,
      details: error.details,
      cause: (error.cause as TypeError).message,
    };
  }
  return 'valid';
}

/** What the validator says it found when `check` runs on an option holding `value`. */
function found(value: unknown, check: 'string' | 'func' | 'abortSignal' | 'object'): unknown {
  const result = report({ option: value }, (v) => {
    v[check]('option');
  });
  return result === 'valid' ? 'valid' : (result.details as { found: string }).found;
}

describe('OptionsValidator', () => {
  it('accepts undefined options and absent options', () => {
    expect(
      report(undefined, (v) => {
        v.integer('option', 0);
        v.string('option');
        v.object('option');
      }),
    ).toBe('valid');
  });

  it('refuses options that are not an object, naming what was found', () => {
    expect(report(42, () => undefined)).toEqual({
      message:
        'Expected test() options to have options as an object or undefined, but found 42; fix or omit that option.',
      details: {
        option: 'options',
        found: '42',
        issues: [{ path: 'options', message: 'expected an object or undefined, found 42' }],
      },
      cause: 'options: expected an object or undefined, found 42',
    });
    expect(
      report(null, (v) => {
        v.string('path');
      }),
    ).toMatchObject({
      details: { option: 'options', found: 'null' },
    });
  });

  it('describes every kind of wrong value readably', () => {
    expect(found(() => undefined, 'string')).toBe('a function');
    expect(found(Symbol('s'), 'string')).toBe('Symbol(s)');
    expect(found(null, 'string')).toBe('null');
    expect(found([1, 'a', [true]], 'string')).toBe('[1, "a", [true]]');
    expect(found(new Map(), 'string')).toBe('Map');
    expect(found(Object.create(null), 'string')).toBe('an object');
    expect(found(10n, 'string')).toBe('10');
    expect(found(false, 'string')).toBe('false');
  });

  it('string() refuses the empty string and non-strings', () => {
    expect(found('', 'string')).toBe('""');
    expect(found(7, 'string')).toBe('7');
    expect(found('/run/e.sock', 'string')).toBe('valid');
  });

  it('func(), abortSignal() and object() refuse values of the wrong type', () => {
    expect(found('cb', 'func')).toBe('"cb"');
    expect(found(() => undefined, 'func')).toBe('valid');
    expect(found({ aborted: false }, 'abortSignal')).toBe('Object');
    expect(found(AbortSignal.abort(), 'abortSignal')).toBe('valid');
    expect(found('env', 'object')).toBe('"env"');
    expect(found(null, 'object')).toBe('null');
    expect(found({}, 'object')).toBe('valid');
  });

  it('integer() and oneOf() report the accepted range or values', () => {
    const integer = report({ option: 1.5 }, (v) => {
      v.integer('option', 1, 9);
    });
    expect(integer).toMatchObject({
      message: expect.stringContaining('option as an integer in [1, 9], but found 1.5') as string,
    });
    const oneOf = report({ option: 'x' }, (v) => {
      v.oneOf('option', ['a', 1]);
    });
    expect(oneOf).toMatchObject({
      message: expect.stringContaining('option as one of "a", 1, but found "x"') as string,
    });
  });

  it('checkContextOptions lists every malformed context option, the first one in the message', () => {
    const result = report({ env: 'PATH=/bin', ppid: -1, verifyParent: 1, legacyFds: 'no' }, (v) => {
      checkContextOptions(v);
    });
    expect(result).not.toBe('valid');
    if (result === 'valid') return;
    expect(result.message).toMatch(/^Expected test\(\) options to have env as an object/);
    expect(
      (result.details as { issues: { path: string }[] }).issues.map((issue) => issue.path),
    ).toEqual(['env', 'ppid', 'verifyParent', 'legacyFds']);
    expect(result.cause.split('; ')).toHaveLength(4);
  });
});
