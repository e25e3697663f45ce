import { memoizeText } from './memo.ts';

/**
 * The Ruby values einhorn's `state` is made of, as `YAML.dump` (Psych) sees them. Plain JS values
 * stand for themselves: `null` is `nil`, booleans, integers (safe integers only), strings, arrays
 * (Ruby Arrays) and `Map`s (Ruby Hashes, keys in insertion order). The classes below mark what JS
 * cannot say: a Symbol, a Float that happens to be integral, a `Time`, a `Set` of strings.
 * Objects are compared by identity: the same object twice is dumped once with an anchor (`&1`)
 * and then as an alias (`*1`), as Psych does.
 */

/** A Ruby Symbol, dumped as `:name`. */
export class RubySymbol {
  readonly name: string;
  constructor(name: string) {
    this.name = name;
  }
}

/** A Ruby Float, dumped as Ruby's `Float#to_s` writes it (`1.0`, `0.25`, `1.0e+20`). */
export class RubyFloat {
  readonly value: number;
  constructor(value: number) {
    this.value = value;
  }
}

/**
 * A Ruby `Time`: epoch milliseconds (fractional: monotonic readings placed on the wall clock by
 * `wallFromMono()` in internal/clock.ts), written in the local time zone like Psych
 * (`2026-12-06 16:18:08.319321000 +00:00`). Digits beyond what Node measures are zeros.
 */
export class RubyTime {
  readonly epochMs: number;
  constructor(epochMs: number) {
    this.epochMs = epochMs;
  }
}

/** A Ruby `Set` of strings, dumped as `!ruby/object:Set` with `hash:` mapping each member to true. */
export class RubySet {
  readonly members: readonly string[];
  constructor(members: readonly string[]) {
    this.members = members;
  }
}

/** A key of a Ruby Hash. */
export type RubyKey = RubySymbol | string | number;

/** Any value the dumper writes. */
export type RubyValue =
  | null
  | boolean
  | number
  | string
  | RubySymbol
  | RubyFloat
  | RubyTime
  | RubySet
  | readonly RubyValue[]
  | ReadonlyMap<RubyKey, RubyValue>;

/** `{sym: value, ...}` from a JS object's entries, in order: einhorn's Symbol-keyed Hash. */
export function symbolHash(fields: Readonly<Record<string, RubyValue>>): Map<RubyKey, RubyValue> {
  const hash = new Map<RubyKey, RubyValue>();
  for (const key in fields) hash.set(symbolKey(key), fields[key] ?? null);
  return hash;
}

/** Key Symbols, one object per name (Symbols never get anchors, so sharing one is invisible). */
const symbolKey = memoizeText((name) => new RubySymbol(name), 1024);
