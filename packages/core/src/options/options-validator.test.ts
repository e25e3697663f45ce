import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EinhornError, isEinhornError } from '../errors/einhorn-error.ts';
import { OptionsValidator } from './options-validator.ts';

interface Report {
  readonly message: string;
  readonly details: unknown;
  readonly cause: unknown;
}

/** Runs the checks and returns what `throwIfInvalid` reports, or `'valid'`. */
function report(options: unknown, check: (v: OptionsValidator) => void): Report | 'valid' {
  const v = new OptionsValidator(options);
  check(v);
  try {
    v.throwIfInvalid('test() options');
  } catch (error) {
    if (!isEinhornError(error, 'ERR_EINHORN_INVALID_OPTIONS')) throw error;
    return { message: error.message, details: error.details, cause: error.cause };
  }
  return 'valid';
}

type Check = 'integer' | 'boolean' | 'string' | 'func' | 'oneOf' | 'abortSignal' | 'object';

/** What the validator says it found when `check` runs on an option holding `value`. */
function found(value: unknown, check: Check): string {
  const result = report({ option: value }, (v) => {
    if (check === 'integer') v.integer('option', 0, 10);
    else if (check === 'oneOf') v.oneOf('option', ['a', 1]);
    else v[check]('option');
  });
  return result === 'valid' ? 'valid' : (result.details as { found: string }).found;
}

describe('OptionsValidator', () => {
  it('accepts undefined options, an empty object and absent options', () => {
    const everyCheck = (v: OptionsValidator): void => {
      v.integer('option', 0);
      v.boolean('option');
      v.string('option');
      v.func('option');
      v.oneOf('option', ['a']);
      v.abortSignal('option');
      v.object('option');
    };
    expect(report(undefined, everyCheck)).toBe('valid');
    expect(report({}, everyCheck)).toBe('valid');
    expect(report({ option: undefined }, everyCheck)).toBe('valid');
  });

  it('throws the documented error shape: one EinhornError, a TypeError cause, option/found/issues', () => {
    const v = new OptionsValidator({ timeoutMs: -1 });
    v.integer('timeoutMs', 1, 60_000);
    let thrown: unknown;
    try {
      v.throwIfInvalid('ping() options');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(EinhornError);
    const error = thrown as EinhornError;
    expect(error.name).toBe('EinhornError');
    expect(error.code).toBe('ERR_EINHORN_INVALID_OPTIONS');
    expect(error.message).toBe(
      'Expected ping() options to have timeoutMs as an integer in [1, 60000], but found -1; fix or omit that option.',
    );
    expect(error.cause).toBeInstanceOf(TypeError);
    expect((error.cause as TypeError).message).toBe(
      'timeoutMs: expected an integer in [1, 60000], found -1',
    );
    expect(error.details).toEqual({
      option: 'timeoutMs',
      found: '-1',
      issues: [{ path: 'timeoutMs', message: 'expected an integer in [1, 60000], found -1' }],
    });
    expect(JSON.parse(JSON.stringify(error))).toEqual(error.toJSON());
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
      cause: new TypeError('options: expected an object or undefined, found 42'),
    });
    expect(
      report(null, (v) => {
        v.string('path');
        expect(v.value('path')).toBeUndefined();
      }),
    ).toMatchObject({ details: { option: 'options', found: 'null' } });
    expect(report('fast', () => undefined)).toMatchObject({ details: { found: '"fast"' } });
  });

  it('lists every problem, the first one in the message and details.option', () => {
    const result = report({ a: 'x', b: 2, c: 'y' }, (v) => {
      v.integer('a', 0);
      v.boolean('b');
      v.func('c');
    });
    expect(result).not.toBe('valid');
    if (result === 'valid') return;
    expect(result.message).toMatch(/^Expected test\(\) options to have a as an integer in /);
    expect(result.details).toMatchObject({ option: 'a', found: '"x"' });
    expect(
      (result.details as { issues: { path: string }[] }).issues.map((issue) => issue.path),
    ).toEqual(['a', 'b', 'c']);
    expect((result.cause as TypeError).message.split('; ')).toEqual([
      `a: expected an integer in [0, ${Number.MAX_SAFE_INTEGER}], found "x"`,
      'b: expected a boolean, found 2',
      'c: expected a function, found "y"',
    ]);
  });

  it('value() returns the raw option and fail() records custom problems', () => {
    const hosts = ['a', 1];
    const result = report({ hosts }, (v) => {
      expect(v.value('hosts')).toBe(hosts);
      v.fail('hosts', 'an array of strings');
      v.fail('hosts', 'a string host', 1);
      v.fail('port', 'a port number');
    });
    expect(result).toMatchObject({
      message:
        'Expected test() options to have hosts as an array of strings, but found ["a", 1]; fix or omit that option.',
      details: {
        issues: [
          { path: 'hosts', message: 'expected an array of strings, found ["a", 1]' },
          { path: 'hosts', message: 'expected a string host, found 1' },
          { path: 'port', message: 'expected a port number, found undefined' },
        ],
      },
    });
  });

  it('describes every kind of wrong value readably', () => {
    expect(found(() => undefined, 'string')).toBe('a function');
    expect(found(Symbol('s'), 'string')).toBe('Symbol(s)');
    expect(found(null, 'string')).toBe('null');
    expect(found([1, 'a', [true]], 'string')).toBe('[1, "a", [true]]');
    expect(found(new Map(), 'string')).toBe('Map');
    expect(found(Object.create(null), 'string')).toBe('an object');
    expect(found({ constructor: {} }, 'string')).toBe('an object');
    expect(found(10n, 'string')).toBe('10');
    expect(found(false, 'string')).toBe('false');
    expect(found(Number.NaN, 'string')).toBe('NaN');
  });

  it('integer() checks the type, integrality and both bounds', () => {
    expect(found(5, 'integer')).toBe('valid');
    expect(found(0, 'integer')).toBe('valid');
    expect(found(10, 'integer')).toBe('valid');
    expect(found(-1, 'integer')).toBe('-1');
    expect(found(11, 'integer')).toBe('11');
    expect(found(1.5, 'integer')).toBe('1.5');
    expect(found(Number.NaN, 'integer')).toBe('NaN');
    expect(found(Number.POSITIVE_INFINITY, 'integer')).toBe('Infinity');
    expect(found('5', 'integer')).toBe('"5"');
    expect(found(5n, 'integer')).toBe('5');
    expect(
      report({ option: 2 ** 53 }, (v) => {
        v.integer('option', 0);
      }),
    ).toMatchObject({
      message: expect.stringContaining(
        `option as an integer in [0, ${Number.MAX_SAFE_INTEGER}], but found 9007199254740992`,
      ) as string,
    });
  });

  it('boolean() accepts only true and false', () => {
    expect(found(true, 'boolean')).toBe('valid');
    expect(found(false, 'boolean')).toBe('valid');
    expect(found(0, 'boolean')).toBe('0');
    expect(found('true', 'boolean')).toBe('"true"');
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
    expect(found(new AbortController().signal, 'abortSignal')).toBe('valid');
    expect(found('env', 'object')).toBe('"env"');
    expect(found(null, 'object')).toBe('null');
    expect(found({}, 'object')).toBe('valid');
    expect(found([], 'object')).toBe('valid');
  });

  it('oneOf() accepts only the listed values and lists them in the message', () => {
    expect(found('a', 'oneOf')).toBe('valid');
    expect(found(1, 'oneOf')).toBe('valid');
    expect(found('1', 'oneOf')).toBe('"1"');
    expect(
      report({ option: 'x' }, (v) => {
        v.oneOf('option', ['a', 1]);
      }),
    ).toMatchObject({
      message: expect.stringContaining('option as one of "a", 1, but found "x"') as string,
    });
  });

  it('throwIfInvalid() is a no-op while every check passed, and can be called again', () => {
    const v = new OptionsValidator({ retries: 3 });
    v.integer('retries', 0, 5);
    expect(() => {
      v.throwIfInvalid('retry() options');
    }).not.toThrow();
    v.integer('retries', 4);
    expect(() => {
      v.throwIfInvalid('retry() options');
    }).toThrow(/retries as an integer in \[4, /);
  });

  it('throws what docs/reference/errors.md promises for ERR_EINHORN_INVALID_OPTIONS', () => {
    const doc = readFileSync(
      fileURLToPath(new URL('../../../../docs/reference/errors.md', import.meta.url)),
      'utf8',
    );
    const row = doc.split('\n').find((line) => line.startsWith('| `ERR_EINHORN_INVALID_OPTIONS`'));
    expect(row).toContain('`EinhornError`');
    expect(row).toContain('`TypeError` listing every issue');
    expect(row).not.toContain('zod');
    const result = report({ port: 'x' }, (v) => {
      v.integer('port', 0, 65_535);
    });
    expect(result).not.toBe('valid');
    if (result === 'valid') return;
    expect(result.cause).toBeInstanceOf(TypeError);
    const details = result.details as Record<string, unknown>;
    for (const key of row?.match(/details\.\w+/g) ?? []) {
      expect(details, key).toHaveProperty(key.slice('details.'.length));
    }
    expect(details['issues']).toEqual([
      { path: 'port', message: 'expected an integer in [0, 65535], found "x"' },
    ]);
  });
});
