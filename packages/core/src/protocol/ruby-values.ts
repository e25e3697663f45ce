// Psych's plain scalars for the Ruby classes einhorn's client permits in `state` (Symbol, Time),
// and the members of a dumped Set, read as plain data. Nothing is evaluated.

const SYMBOL = /^:(.+)$/s;
const QUOTED_SYMBOL = /^:(["'])(.*)\1/s;
// Psych's ScalarScanner TIME, with the parts captured.
const TIME =
  /^(-?\d{4})-(\d{1,2})-(\d{1,2})(?:[Tt]|[ \t]+)(\d{1,2}):(\d\d):(\d\d)(?:\.(\d*))?(?:[ \t]*(Z|[-+]\d{1,2}(?::?\d\d)?))?$/;

function offsetMinutes(zone: string | undefined): number {
  if (zone === undefined || zone === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.length > 2 ? digits.slice(0, -2) : digits);
  const minutes = digits.length > 2 ? Number(digits.slice(-2)) : 0;
  return sign * (hours * 60 + minutes);
}

/**
 * A Psych Time scalar as an ISO 8601 UTC string (millisecond precision), or undefined when the
 * text is not a time. A time without a zone is UTC, as in Psych.
 */
export function rubyTimeToIso(text: string): string | undefined {
  const match = TIME.exec(text);
  if (match === null) return undefined;
  const [, year, month, day, hour, minute, second, fraction = '', zone] = match;
  const ms = Number(`0.${fraction || '0'}`) * 1000;
  const utc = Date.UTC(
    Number(year),
    Number(month) - 1,
    Number(day),
    Number(hour),
    Number(minute),
    Number(second),
    Math.floor(ms),
  );
  const date = new Date(utc - offsetMinutes(zone) * 60_000);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/**
 * What a plain scalar means in einhorn's `state` beyond plain YAML: a Symbol (`:worker`, as
 * Psych reads `/^:./`, quotes included: `:"a b"`) becomes its name, a Time its ISO string.
 * Undefined for anything else, which then resolves as plain YAML.
 */
export function rubyPlainScalar(text: string): string | undefined {
  const quoted = QUOTED_SYMBOL.exec(text);
  if (quoted !== null) return (quoted[2] ?? '').replace(/^:/, '');
  const symbol = SYMBOL.exec(text);
  if (symbol !== null) return symbol[1];
  return rubyTimeToIso(text);
}

/**
 * The members of a `!ruby/object:Set` mapping (`{hash: {USR2: true}}`): the keys of `hash`, or
 * none when `hash` is empty or null. Undefined when the mapping is not shaped like a Set.
 */
export function rubySetMembers(value: unknown): string[] | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.some((key) => key !== 'hash')) return undefined;
  const hash = (value as Record<string, unknown>)['hash'];
  if (hash === undefined || hash === null) return [];
  if (typeof hash !== 'object' || Array.isArray(hash)) return undefined;
  return Object.keys(hash);
}
