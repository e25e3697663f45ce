/**
 * Resolution of plain (unquoted) YAML scalars as Ruby's Psych 4 does it, because the
 * peer we must agree with is einhorn, which parses with Psych. Differences from YAML 1.1
 * as written in the spec are intentional: `1e3` is a string (no dot), `y`/`n` are strings,
 * `yes`/`On`/`oFF` are booleans in any case, `1,000` is 1000, and `1:20` is 4800 (Psych's
 * base-60 quirk). Where Psych would build a Ruby-only object, we keep the text instead:
 * timestamps and dates stay strings, `:sym` stays the string `":sym"`.
 */

/** Thrown when Psych itself would raise (e.g. `.e+5`, `0b_`); the codec turns it into a decode error. */
export class UnresolvableScalarError extends Error {}

// Ruby's `\s` is ASCII-only and `^`/`$` are line anchors, hence the explicit class and the `m` flag.
const STRINGISH = /^[^\d.:-]?[\p{Alphabetic}_ \t\n\v\f\r!@#$%^&*(){}<>|/\\~;=]+/mu;
const TIME =
  /^-?\d{4}-\d{1,2}-\d{1,2}(?:[Tt]|[ \t\n\v\f\r]+)\d{1,2}:\d\d:\d\d(?:\.\d*)?(?:[ \t\n\v\f\r]*(?:Z|[-+]\d{1,2}:?(?:\d\d)?))?$/m;
const DATE = /^\d{4}-(?:1[012]|0\d|\d)-(?:[12]\d|3[01]|0\d|\d)$/m;
const SEXAGESIMAL_INT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9]){1,2}$/m;
const SEXAGESIMAL_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9]){1,2}\.[0-9_]*$/m;
const FLOAT = /^(?:[-+]?(?:[0-9][0-9_,]*)?\.[0-9]*(?:[eE][-+][0-9]+)?)$/m;
const INTEGER =
  /^(?:[-+]?0b[0-1_,]+|[-+]?0[0-7_,]+|[-+]?(?:0|[1-9](?:[0-9]|,[0-9]|_[0-9])*)|[-+]?0x[0-9a-fA-F_,]+)$/m;

function shortWord(text: string): string | boolean | null {
  if (text.length > 5 || /^[^ytonf~]/im.test(text)) return text;
  if (text === '~' || /^null$/im.test(text)) return null;
  if (/^(?:yes|true|on)$/im.test(text)) return true;
  if (/^(?:no|false|off)$/im.test(text)) return false;
  return text;
}

/** Ruby's `String#to_i` / `#to_f`: the longest numeric prefix, 0 when there is none. */
function rubyToNumber(text: string, float: boolean): number {
  const pattern = float
    ? /^[-+]?\d+(?:_\d+)*(?:\.\d+(?:_\d+)*)?(?:[eE][-+]?\d+)?/
    : /^[-+]?\d+(?:_\d+)*/;
  const prefix = pattern.exec(text)?.[0];
  return prefix === undefined ? 0 : Number(prefix.replaceAll('_', ''));
}

function sexagesimal(text: string, float: boolean): number {
  const parts = text.split(':');
  const total = parts.reduce(
    (sum, part, index) => sum + rubyToNumber(part, float) * 60 ** Math.abs(index - 2),
    0,
  );
  return total === 0 && !float ? 0 : total;
}

/** Ruby's `Integer()` on the text without `,` and `_`: prefixes 0b, 0x, 0 (octal). */
function rubyInteger(text: string): number {
  const digits = text.replaceAll(/[,_]/g, '');
  const sign = digits.startsWith('-') ? -1 : 1;
  const body = digits.replace(/^[-+]/, '');
  const [radix, rest] = body.startsWith('0b')
    ? [2, body.slice(2)]
    : body.startsWith('0x')
      ? [16, body.slice(2)]
      : body.length > 1 && body.startsWith('0')
        ? [8, body.slice(1)]
        : [10, body];
  if (rest === '') throw new UnresolvableScalarError(`invalid integer ${JSON.stringify(text)}`);
  const magnitude = radix === 10 ? Number(rest) : parseInt(rest, radix);
  return magnitude === 0 ? 0 : sign * magnitude;
}

/**
 * Resolves one plain scalar's text to a JS value the way Psych's `ScalarScanner#tokenize` does.
 *
 * @throws UnresolvableScalarError where Psych raises.
 */
export function resolvePlainScalar(text: string): string | number | boolean | null {
  if (text === '') return null;
  if (STRINGISH.test(text) || text.includes('\n')) return shortWord(text);
  if (TIME.test(text) || DATE.test(text)) return text;
  if (/^\+?\.inf$/im.test(text)) return Number.POSITIVE_INFINITY;
  if (/^-\.inf$/im.test(text)) return Number.NEGATIVE_INFINITY;
  if (/^\.nan$/im.test(text)) return Number.NaN;
  if (/^:./m.test(text)) return text;
  if (SEXAGESIMAL_INT.test(text)) return sexagesimal(text, false);
  if (SEXAGESIMAL_FLOAT.test(text)) return sexagesimal(text, true);
  if (FLOAT.test(text)) {
    if (/^[-+]?\.$/.test(text)) return text;
    const value = Number(text.replaceAll(/[,_]|\.([Ee]|$)/g, '$1'));
    if (Number.isNaN(value))
      throw new UnresolvableScalarError(`invalid float ${JSON.stringify(text)}`);
    return value;
  }
  if (INTEGER.test(text)) return rubyInteger(text);
  return text;
}
