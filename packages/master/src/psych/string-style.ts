/**
 * Which scalar style Psych asks libyaml for when it dumps a String (Psych 4's
 * `YAMLTree#visit_String`), and whether Psych's `ScalarScanner#tokenize` would read the bare text
 * back as something other than a String. libyaml may still overrule the request
 * (`scalar-analysis.ts`).
 */

/** libyaml's scalar styles. */
export type ScalarStyle = 'plain' | 'single' | 'double' | 'literal';

// Ruby's [[:word:]] (Unicode letters, marks, decimal digits, connector punctuation, joiners).
const WORD = /[\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\u200c\u200d]/u;
const TIME =
  /^-?\d{4}-\d{1,2}-\d{1,2}(?:[Tt]|\s+)\d{1,2}:\d\d:\d\d(?:\.\d*)?(?:\s*(?:Z|[-+]\d{1,2}:?(?:\d\d)?))?$/;
const DATE = /^\d{4}-(?:1[012]|0\d|\d)-(?:[12]\d|3[01]|0\d|\d)$/;
const FLOAT = /^(?:[-+]?(?:[0-9][0-9_,]*)?\.[0-9]*(?:[eE][-+][0-9]+)?)$/;
const INTEGER =
  /^(?:[-+]?0b[0-1_,]+|[-+]?0[0-7_,]+|[-+]?(?:0|[1-9](?:[0-9]|,[0-9]|_[0-9])*)|[-+]?0x[0-9a-fA-F_,]+)$/;
const SEXAGESIMAL = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9]){1,2}(?:\.[0-9_]*)?$/;

// Ruby's `\s` is ASCII-only.
const STRINGISH = /^[^\d.:-]?[\p{Alphabetic}_ \t\n\v\f\r!@#$%^&*(){}<>|/\\~;=]+/mu;

/** Whether `tokenize(text)` returns the String itself (not nil, a boolean, a number, a Time, a Date or a Symbol). */
export function tokenizesAsString(text: string): boolean {
  if (text === '') return false;
  if (STRINGISH.test(text) || text.includes('\n')) {
    if (text.length > 5 || /^[^ytonf~]/im.test(text)) return true;
    return !(text === '~' || /^(?:null|yes|true|on|no|false|off)$/im.test(text));
  }
  if (TIME.test(text) || DATE.test(text)) return false;
  if (/^(?:\+?\.inf|-\.inf|\.nan)$/i.test(text) || /^:./.test(text)) return false;
  if (SEXAGESIMAL.test(text)) return false;
  if (FLOAT.test(text)) return /^[-+]?\.$/.test(text);
  return !INTEGER.test(text);
}

/** Ruby's `/^[^[:word:]][^"]*$/`: `^`/`$` are line anchors (LF only) and `[^"]` also matches LF. */
function startsLineWithNonWord(text: string): boolean {
  let start = 0;
  while (start < text.length) {
    const char = String.fromCodePoint(text.codePointAt(start) ?? 0);
    if (!WORD.test(char)) {
      const next = start + char.length;
      const end = text.indexOf('\n', next);
      if (!text.slice(next, end === -1 ? undefined : end).includes('"')) return true;
    }
    const newline = text.indexOf('\n', start);
    if (newline === -1) return false;
    start = newline + 1;
  }
  return false;
}

/** Ruby's `/\n(?!\Z)/`: a LF that is neither the last character nor followed only by a final LF. */
function hasInnerNewline(text: string): boolean {
  const last = text.length - 1;
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) {
    if (index < last && !(index === last - 1 && text[last] === '\n')) return true;
  }
  return false;
}

/** The style Psych 4 requests for a String, and its tag (`!!str '<<'`). */
export function psychStringStyle(text: string): {
  readonly style: ScalarStyle;
  readonly tag?: string;
} {
  if (hasInnerNewline(text)) return { style: 'literal' };
  if (text === '<<') return { style: 'single', tag: '!!str' };
  if (text === 'y' || text === 'n') return { style: 'double' };
  if (startsLineWithNonWord(text)) return { style: 'double' };
  if (!tokenizesAsString(text) || /^0[0-7]*[89]/.test(text)) return { style: 'single' };
  return { style: 'plain' };
}
