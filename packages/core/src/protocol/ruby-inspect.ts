// Einhorn's error texts embed Ruby's `#class` and `#inspect` of the offending YAML value
// (`Argument is a Integer, not a string: 42`). These mirror Ruby 3.1 for the values YAML yields.

const NAMED_ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\t': '\\t',
  '\r': '\\r',
  '\f': '\\f',
  '\v': '\\v',
  '\b': '\\b',
  '\x07': '\\a',
  '\x1b': '\\e',
};

function inspectString(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i += 1) {
    const char = text.charAt(i);
    const named = NAMED_ESCAPES[char];
    if (named !== undefined) {
      out += named;
      continue;
    }
    const code = char.charCodeAt(0);
    if (code < 0x20 || code === 0x7f) {
      out += `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
    } else if (char === '#' && '{$@'.includes(text.charAt(i + 1))) {
      out += '\\#'; // Ruby escapes what would otherwise read as interpolation
    } else {
      out += char;
    }
  }
  return `${out}"`;
}

function inspectNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  if (Number.isInteger(value)) return BigInt(value).toString(); // Ruby's Integer has no size limit
  if (Math.abs(value) >= 1e-4) return String(value); // a non-integer double is < 2^53: fixed notation
  // Ruby switches to `1.5e-05` below 1e-4, with at least one decimal and a two-digit exponent.
  const [mantissa = '', exponent = ''] = value.toExponential().split('e');
  const sign = exponent.startsWith('-') ? '-' : '+';
  const digits = exponent.replace(/^[+-]/, '').padStart(2, '0');
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}e${sign}${digits}`;
}

/**
 * Ruby's class name for a value decoded from YAML.
 *
 * @param value - A decoded YAML value.
 * @returns `String`, `Integer`, `Float`, `TrueClass`, `FalseClass`, `NilClass`, `Array` or `Hash`.
 */
export function rubyClassName(value: unknown): string {
  if (value === null || value === undefined) return 'NilClass';
  if (typeof value === 'string') return 'String';
  if (typeof value === 'number') return Number.isInteger(value) ? 'Integer' : 'Float';
  if (typeof value === 'bigint') return 'Integer';
  if (typeof value === 'boolean') return value ? 'TrueClass' : 'FalseClass';
  if (Array.isArray(value)) return 'Array';
  return 'Hash';
}

/**
 * Ruby 3.1's `inspect` for a value decoded from YAML.
 *
 * @param value - A decoded YAML value.
 * @returns The text Ruby would print, e.g. `"stat%65"`, `42`, `nil`, `{"a"=>[1, 2.5]}`.
 */
export function rubyInspect(value: unknown): string {
  if (value === null || value === undefined) return 'nil';
  if (typeof value === 'string') return inspectString(value);
  if (typeof value === 'number') return inspectNumber(value);
  if (typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(rubyInspect).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value).map(
      ([key, item]) => `${inspectString(key)}=>${rubyInspect(item)}`,
    );
    return `{${entries.join(', ')}}`;
  }
  return 'nil'; // functions and symbols never come out of YAML
}
