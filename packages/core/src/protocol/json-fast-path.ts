// A JSON fast path for decodeMessage: einhorn's clients and workers send one JSON object per line,
// and JSON is YAML, so such a body can be decoded with JSON.parse (no `yaml` library loaded)
// whenever the YAML path (yaml.ts, Psych's reading) would produce exactly the same value. The
// admitted subset is chosen so that this holds; anything else is left to the YAML path. The
// property test in json-fast-path.test.ts compares the two on generated lines.

/** What {@link decodeJsonFast} returns when the body must go through the YAML path. */
export const NOT_FAST = Symbol('not fast');

/** Deeper JSON goes to the YAML path, which enforces its own limit (MAX_DEPTH in yaml.ts). */
const MAX_FAST_DEPTH = 64;
/** libyaml refuses a flow key whose `:` is 1024 characters or more after its start. */
const MAX_KEY_SPAN = 1000;

// One token, preceded by spaces (JSON's tab, CR and LF are left to the YAML path: a tab or a line
// break may be indentation there). Groups: 1 punctuation, 2 string, 3 number, 4 literal.
// - Strings admit raw characters that libyaml reads as printable and not as line breaks: no
//   controls, no U+007F–U+009F (NEL is a YAML 1.1 line break), no U+2028/U+2029, no BOM, no
//   U+FFFE/U+FFFF and no lone surrogates (the `u` flag matches only whole pairs above U+FFFF).
//   Escapes are JSON's; YAML double quotes read them identically.
// - Numbers are integers and plain decimals. Exponents differ (Psych reads `1e3` as a string and
//   only `1.5e+3` as a float) and so does `-0` (Psych's Integer has no negative zero).
const TOKEN =
  /[ ]*(?:([{}[\],:])|"((?:[ !#-[\]-~\u00a0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\u{10000}-\u{10ffff}]|\\["\\/bfnrt]|\\u[\da-fA-F]{4})*)"|(-?[1-9]\d*(?:\.\d+)?|-?0\.\d+|0)|(true|false|null))/uy;
const TRAILING_SPACES = /[ ]*$/y;
// A `\uD800`-style escape can leave a lone surrogate, which the YAML path rejects.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/** Scans `body`; true when it is one object made only of the admitted tokens, not too deep. */
function admitted(body: string): boolean {
  let depth = 0;
  let keyStart = -1;
  let index = 0;
  TOKEN.lastIndex = 0;
  for (let match = TOKEN.exec(body); match !== null; match = TOKEN.exec(body)) {
    const punctuation = match[1];
    if (index === 0 && punctuation !== '{') return false;
    if (punctuation === '{' || punctuation === '[') {
      if (++depth > MAX_FAST_DEPTH) return false;
    } else if (punctuation === '}' || punctuation === ']') {
      depth -= 1;
    } else if (punctuation === ':') {
      if (keyStart >= 0 && TOKEN.lastIndex - keyStart > MAX_KEY_SPAN) return false;
    }
    keyStart = match[2] === undefined ? -1 : index;
    index = TOKEN.lastIndex;
  }
  TRAILING_SPACES.lastIndex = index;
  TRAILING_SPACES.test(body);
  return index > 0 && TRAILING_SPACES.lastIndex === body.length;
}

/** True when the parsed value holds something the YAML path reads differently or rejects. */
function differs(value: unknown): boolean {
  if (typeof value === 'string') return LONE_SURROGATE.test(value);
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.some(differs);
  // Psych merges a `<<` key, even a quoted one (only `!!str '<<'` is a plain key).
  if (Object.hasOwn(value, '<<')) return true;
  return Object.entries(value).some(([key, item]) => differs(key) || differs(item));
}

/**
 * Decodes an unescaped line body with `JSON.parse` when the body is a JSON object that the YAML
 * path would decode to exactly the same value: only integers and plain decimals (no exponent, no
 * `-0`), strings without raw characters libyaml refuses or reads as line breaks, spaces as the only
 * whitespace, at most 64 levels deep, and no `<<` key or lone surrogate after parsing. Duplicate
 * keys keep the last value in both (at the first key's position).
 *
 * @param body - the unescaped body of one line.
 * @returns the parsed object, or {@link NOT_FAST} when the YAML path must decide (including every
 *   body it would reject).
 */
export function decodeJsonFast(body: string): unknown {
  if (!admitted(body)) return NOT_FAST;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return NOT_FAST; // admitted tokens in an order JSON refuses: the YAML path reports it
  }
  return differs(value) ? NOT_FAST : value;
}
