import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EinhornProtocolError } from '../errors/errors.ts';
import { decodeMessage, decodeMessageAsYaml } from './decode.ts';
import { escapeLine } from './escape.ts';
import { decodeJsonFast, NOT_FAST } from './json-fast-path.ts';
import { jsonishBody, sameValue } from './json-lines.test-helpers.ts';

type Outcome = { readonly value: unknown } | { readonly code: string };

function outcome(decode: () => unknown): Outcome {
  try {
    return { value: decode() };
  } catch (error) {
    if (error instanceof EinhornProtocolError) return { code: error.code };
    throw error;
  }
}

function sameOutcome(a: Outcome, b: Outcome): boolean {
  if ('code' in a || 'code' in b) return 'code' in a && 'code' in b && a.code === b.code;
  return sameValue(a.value, b.value);
}

/** What the YAML path alone makes of a body (the reference the fast path must match). */
const viaYaml = (body: string): Outcome => outcome(() => decodeMessageAsYaml(escapeLine(body)));

describe('decodeMessage JSON fast path ≡ YAML path (property)', () => {
  it('decodes every generated line exactly as the YAML path does, or leaves it to it', () => {
    let fast = 0;
    let runs = 0;
    fc.assert(
      fc.property(jsonishBody, (body) => {
        runs += 1;
        const shortcut = decodeJsonFast(body);
        const reference = viaYaml(body);
        if (shortcut !== NOT_FAST) {
          fast += 1;
          expect(reference).toHaveProperty('value');
          expect(sameValue(shortcut, (reference as { value: unknown }).value), body).toBe(true);
        }
        const line = escapeLine(body);
        const decoded = outcome(() => decodeMessage(line));
        expect(sameOutcome(decoded, reference), body).toBe(true);
      }),
      { numRuns: 3000 },
    );
    // The comparison means something only if the fast path is taken often.
    expect(fast / runs).toBeGreaterThan(0.15);
    expect(fast).toBeLessThan(runs);
  });

  it('control: the same property finds a counterexample for a naive JSON.parse fast path', () => {
    const naive = (body: string): Outcome => {
      try {
        return { value: JSON.parse(body) as unknown };
      } catch {
        return viaYaml(body);
      }
    };
    const result = fc.check(
      fc.property(jsonishBody, (body) => sameOutcome(naive(body), viaYaml(body))),
      { numRuns: 3000 },
    );
    expect(result.failed).toBe(true);
  });

  it('control: sameValue tells -0 from 0 and notices key order', () => {
    expect(sameValue({ a: -0 }, { a: 0 })).toBe(false);
    expect(sameValue({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(false);
    expect(sameValue({ a: [1, { b: 'x' }] }, { a: [1, { b: 'x' }] })).toBe(true);
  });
});

/** A body, whether the fast path takes it, and the value both paths agree on. */
function expectAgreement(body: string, takesFastPath: boolean): unknown {
  expect(decodeJsonFast(body) !== NOT_FAST, body).toBe(takesFastPath);
  const reference = viaYaml(body);
  expect(
    sameOutcome(
      outcome(() => decodeMessage(escapeLine(body))),
      reference,
    ),
  ).toBe(true);
  return 'value' in reference ? reference.value : reference.code;
}

describe('decodeMessage JSON fast path: each place where JSON.parse and Psych differ', () => {
  it('takes plain JSON objects: integers, decimals, strings, literals, nesting, spaces', () => {
    const body =
      ' {"command":"worker:ack", "pid" : 12345,"x":[-1.25,0,true,false,null,{"y":"é😀"}]} ';
    expect(expectAgreement(body, true)).toEqual(JSON.parse(body));
    expect(expectAgreement('{"a":"\\u0000\\b\\f\\t\\n\\r\\"\\\\\\/"}', true)).toEqual({
      a: '\u0000\b\f\t\n\r"\\/',
    });
    expect(expectAgreement('{"a":"\\ud83d\\ude00"}', true)).toEqual({ a: '😀' });
  });

  it('numbers: 1e3 and 1.5e3 are strings to Psych, 1.5e+3 a float; -0 is 0; huge integers', () => {
    expect(expectAgreement('{"a":1e3}', false)).toEqual({ a: '1e3' });
    expect(expectAgreement('{"a":1.5e3}', false)).toEqual({ a: '1.5e3' });
    expect(expectAgreement('{"a":1.5e+3}', false)).toEqual({ a: 1500 });
    expect(Object.is((expectAgreement('{"a":-0}', false) as { a: number }).a, 0)).toBe(true);
    const huge = `1${'0'.repeat(30)}`;
    expect(expectAgreement(`{"a":${huge}}`, true)).toEqual({ a: 1e30 });
    expect(expectAgreement('{"a":9007199254740993}', true)).toEqual({ a: 9007199254740992 });
  });

  it('raw characters libyaml refuses or reads as line breaks go to the YAML path', () => {
    for (const char of ['\u007f', '\u0080', '\u009f', '\ufffe', '\uffff']) {
      expect(expectAgreement(`{"a":"${char}"}`, false)).toBe('ERR_EINHORN_PROTOCOL_DECODE');
      expect(
        expectAgreement(`{"a":"\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}"}`, true),
      ).toEqual({
        a: char,
      });
    }
    for (const char of ['\u0085', '\u2028', '\u2029', '\ufeff']) {
      expectAgreement(`{"a":"${char}"}`, false);
    }
    expect(expectAgreement('{"a":"x\ty"}', false)).toEqual({ a: 'x\ty' }); // JSON refuses a raw tab
  });

  it('a lone surrogate (escaped or raw) is rejected as on the YAML path', () => {
    expect(expectAgreement('{"a":"\\ud800"}', false)).toBe('ERR_EINHORN_PROTOCOL_DECODE');
    expect(expectAgreement('{"\\udfff":1}', false)).toBe('ERR_EINHORN_PROTOCOL_DECODE');
    expect(expectAgreement('{"a":"\ud800"}', false)).toBe('ERR_EINHORN_PROTOCOL_DECODE');
  });

  it('nesting: up to 64 levels on the fast path; more than 256 is rejected', () => {
    const nest = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    expectAgreement(nest(64), true);
    expectAgreement(nest(65), false);
    expect(expectAgreement(nest(256), false)).not.toBe('ERR_EINHORN_PROTOCOL_DECODE');
    expect(expectAgreement(nest(257), false)).toBe('ERR_EINHORN_PROTOCOL_DECODE');
  });

  it('duplicate keys: the last value wins, at the first key position, in both', () => {
    const value = expectAgreement('{"a":1,"b":2,"a":3}', true);
    expect(value).toEqual({ a: 3, b: 2 });
    expect(Object.keys(value as object)).toEqual(['a', 'b']);
  });

  it('a "<<" key (even escaped) is a Psych merge key, so it goes to the YAML path', () => {
    expect(expectAgreement('{"<<":{"b":1},"c":2}', false)).toEqual({ b: 1, c: 2 });
    expect(expectAgreement('{"x":{"\\u003c<":{"b":1}}}', false)).toEqual({ x: { b: 1 } });
    expect(expectAgreement('{"<<":1}', false)).toEqual({ '<<': 1 });
  });

  it('"__proto__" is an own key in both, not a prototype', () => {
    const value = expectAgreement('{"__proto__":{"polluted":true}}', true) as object;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(['__proto__']);
  });

  it('non-object top levels, tabs, line breaks and non-JSON go to the YAML path', () => {
    expect(expectAgreement('[1,2]', false)).toEqual([1, 2]);
    expect(expectAgreement('42', false)).toBe(42);
    expect(expectAgreement('"s"', false)).toBe('s');
    expect(expectAgreement('', false)).toBeNull();
    expect(expectAgreement('{"a":1}\t', false)).toEqual({ a: 1 });
    expect(expectAgreement('{"a":\n1}', false)).toEqual({ a: 1 });
    expect(expectAgreement('{"a":yes}', false)).toEqual({ a: true });
    expect(expectAgreement('{"a":1,}', false)).toEqual({ a: 1 });
    expect(expectAgreement('{"a":01}', false)).toEqual({ a: 1 });
    expect(expectAgreement('{"a":1} x', false)).toBe('ERR_EINHORN_PROTOCOL_DECODE');
  });

  it('a key spanning 1000 characters or more goes to the YAML path (libyaml limits flow keys)', () => {
    expectAgreement(`{"${'k'.repeat(990)}":1}`, true);
    expectAgreement(`{"${'k'.repeat(1000)}":1}`, false);
    expectAgreement(`{"k":"${'v'.repeat(5000)}"}`, true);
  });

  it('control: a naive JSON.parse differs from the YAML path on each of these', () => {
    for (const body of ['{"a":1e3}', '{"a":-0}', '{"<<":{"b":1}}', '{"a":"\\ud800"}']) {
      const reference = viaYaml(body);
      expect(sameOutcome({ value: JSON.parse(body) as unknown }, reference), body).toBe(false);
    }
  });
});
