import { psychDump } from './dump.ts';
import { RubyFloat, RubySet, RubySymbol, RubyTime } from './ruby-value.ts';
import type { RubyKey, RubyValue } from './ruby-value.ts';

type Node = RubyValue | RubyKey;

function sameList(a: readonly Node[], b: readonly Node[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!sameValue(a[i] ?? null, b[i] ?? null)) return false;
  return true;
}

function sameMap(a: ReadonlyMap<RubyKey, RubyValue>, b: ReadonlyMap<RubyKey, RubyValue>): boolean {
  if (a.size !== b.size) return false;
  const keys = b.keys();
  const values = b.values();
  let same = true;
  // Keys in the same order (they are written in order) and equal values.
  a.forEach((value, key) => {
    if (!same) return;
    const otherKey = keys.next();
    const otherValue = values.next();
    same =
      otherKey.done !== true &&
      otherValue.done !== true &&
      sameValue(key, otherKey.value) &&
      sameValue(value, otherValue.value);
  });
  return same;
}

/** Whether two values dump to the same text: equal, node for node, in the same order. */
export function sameValue(a: Node, b: Node): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return false;
  if (a instanceof RubySymbol) return b instanceof RubySymbol && a.name === b.name;
  if (a instanceof RubyFloat) return b instanceof RubyFloat && Object.is(a.value, b.value);
  if (a instanceof RubyTime) return b instanceof RubyTime && a.epochMs === b.epochMs;
  if (a instanceof RubySet) return b instanceof RubySet && sameList(a.members, b.members);
  if (a instanceof Map) return b instanceof Map && sameMap(a, b);
  return Array.isArray(a) && Array.isArray(b) && sameList(a, b);
}

/**
 * {@link psychDump} that re-dumps only when the value changed since the last call, and otherwise
 * returns the same text. The `state` document changes on events (a spawn, an ACK, a signal), not
 * between two polls, and dumping it allocates ~25 kB: on a master polled in a loop that is most of
 * its garbage. Values are compared node for node; that is enough because a document's anchors
 * depend only on its values (`toRubyState` shares a `RubyTime` between equal instants and shares
 * nothing else).
 */
export function createCachedDump(): (value: RubyValue) => string {
  let last: RubyValue | undefined;
  let text = '';
  return (value) => {
    if (last === undefined || !sameValue(last, value)) {
      text = psychDump(value);
      last = value;
    }
    return text;
  };
}
