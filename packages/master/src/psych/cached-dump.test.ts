import { describe, expect, it } from 'vitest';
import { createCachedDump, sameValue } from './cached-dump.ts';
import { psychDump } from './dump.ts';
import { RubyFloat, RubySet, RubySymbol, RubyTime, symbolHash } from './ruby-value.ts';
import type { RubyValue } from './ruby-value.ts';

const AT = Date.parse('2026-12-07T01:00:00.000Z');

/** A small state-like document; `edit` changes one thing in a fresh copy. */
function doc(edit: Partial<Record<'pid' | 'acked' | 'time' | 'signal' | 'float', unknown>> = {}) {
  const spinup = new RubyTime((edit.time as number | undefined) ?? AT);
  return symbolHash({
    children: new Map<number, RubyValue>([
      [
        (edit.pid as number | undefined) ?? 77,
        symbolHash({
          type: new RubySymbol('worker'),
          acked: (edit.acked as boolean | undefined) ?? true,
          signaled: new RubySet([(edit.signal as string | undefined) ?? 'USR2']),
          spinup_time: spinup,
        }),
      ],
    ]),
    last_spinup: spinup,
    seconds: new RubyFloat((edit.float as number | undefined) ?? 1.5),
    cmd: ['node', 'server.js'],
  });
}

describe('createCachedDump', () => {
  it('returns the same text for an equal document without dumping again, and it is psychDump', () => {
    const dump = createCachedDump();
    const first = dump(doc());
    expect(first).toBe(psychDump(doc()));
    expect(first).toContain('&1'); // the shared instant is an anchor
    expect(dump(doc())).toBe(first);
  });

  it('dumps again when anything changes: a key, a boolean, a Time, a Set member, a Float', () => {
    const dump = createCachedDump();
    dump(doc());
    for (const edit of [
      { pid: 78 },
      { acked: false },
      { time: AT + 1 },
      { signal: 'TERM' },
      { float: 2.5 },
    ]) {
      expect(dump(doc(edit)), JSON.stringify(edit)).toBe(psychDump(doc(edit)));
      expect(dump(doc())).toBe(psychDump(doc()));
    }
  });

  it('sameValue tells apart what dumps differently', () => {
    expect(sameValue(doc(), doc())).toBe(true);
    expect(sameValue(new RubySymbol('a'), 'a')).toBe(false);
    expect(sameValue(new RubyFloat(1), 1)).toBe(false);
    expect(sameValue(['a', 'b'], ['b', 'a'])).toBe(false);
    expect(sameValue(symbolHash({ a: 1, b: 2 }), symbolHash({ b: 2, a: 1 }))).toBe(false);
    expect(sameValue(symbolHash({ a: 1 }), symbolHash({ a: 1, b: 2 }))).toBe(false);
    expect(sameValue(null, false)).toBe(false);
  });
});
