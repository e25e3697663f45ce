import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeLine, unescapeLine } from './escape.ts';

const awkward = fc.constantFrom(
  '%',
  '%0A',
  '%25',
  '%0a',
  '%2',
  '%%',
  '\n',
  '\r',
  '\r\n',
  'A',
  '0',
  '5',
  'é',
  '😀',
  '\uD800',
);
const text = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: awkward }),
  fc
    .array(fc.oneof(awkward, fc.string({ unit: 'grapheme-ascii', maxLength: 3 })))
    .map((parts) => parts.join('')),
);

describe('escapeLine / unescapeLine (docs/reference/protocol.md, "Wire format")', () => {
  it('escapes exactly % and LF, nothing else (CR stays)', () => {
    expect(escapeLine('100%\n')).toBe('100%25%0A');
    expect(escapeLine('a\r\nb')).toBe('a\r%0Ab');
    expect(escapeLine('%0A')).toBe('%250A');
    expect(escapeLine('+ &?=#')).toBe('+ &?=#');
  });

  it('check 19: decodes only %25 and %0A, so stat%65 stays literal', () => {
    expect(unescapeLine('stat%65')).toBe('stat%65');
    expect(unescapeLine('stat%2565')).toBe('stat%65');
    expect(unescapeLine('---%0Acommand: quieter%0Aid: 5%0A')).toBe(
      '---\ncommand: quieter\nid: 5\n',
    );
    expect(unescapeLine('%0a %20 %2 % +')).toBe('%0a %20 %2 % +');
  });

  it('P17: is not URL decoding — "+" stays "+", a stray "%" is fine, other %XX stay literal (unlike go-einhorn and URI.unescape)', () => {
    expect(unescapeLine('a+b 50% %41%2B')).toBe('a+b 50% %41%2B');
    expect(escapeLine('a+b é/?')).toBe('a+b é/?');
  });

  it('decodes in one left-to-right pass: %250A is "%0A", not a newline', () => {
    expect(unescapeLine('%250A')).toBe('%0A');
    expect(unescapeLine('%25250A')).toBe('%250A');
    expect(unescapeLine('%%0A')).toBe('%\n');
  });

  it('check 21: a%b goes over the wire as a%25b', () => {
    expect(escapeLine('Welcome, a%b!')).toBe('Welcome, a%25b!');
    expect(unescapeLine('Welcome, a%25b!')).toBe('Welcome, a%b!');
  });

  it('round-trips any string and never leaves a raw LF (property)', () => {
    fc.assert(
      fc.property(text, (value) => {
        const escaped = escapeLine(value);
        expect(escaped).not.toContain('\n');
        expect(unescapeLine(escaped)).toBe(value);
      }),
      { numRuns: 500 },
    );
  });

  it('escaping is the identity on text without % and LF, and unescape is the identity without %25/%0A (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (value) => {
        const plain = value.replaceAll(/[%\n]/g, '');
        expect(escapeLine(plain)).toBe(plain);
        expect(unescapeLine(plain)).toBe(plain);
      }),
    );
  });
});
