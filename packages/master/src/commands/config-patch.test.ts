import { describe, expect, it } from 'vitest';
import { CONFIG_KEYS, checkConfigPatch } from './config-patch.ts';

function refusal(hash: Record<string, unknown>): string {
  const checked = checkConfigPatch(hash);
  if ('refusal' in checked) return checked.refusal;
  throw new Error(`expected ${JSON.stringify(hash)} to be refused`);
}

describe('checkConfigPatch', () => {
  it('names the keys config may change', () => {
    expect(CONFIG_KEYS).toEqual([
      'number',
      'seconds',
      'max_unacked',
      'max_upgrade_additional',
      'signal_timeout',
    ]);
  });

  it('accepts each key at its bounds and returns them in that order', () => {
    const checked = checkConfigPatch({
      signal_timeout: 0,
      max_upgrade_additional: 0,
      max_unacked: 1,
      seconds: 0.001,
      number: 1000,
    });
    expect(JSON.stringify(checked)).toBe(
      '{"patch":{"number":1000,"seconds":0.001,"max_unacked":1,"max_upgrade_additional":0,"signal_timeout":0}}',
    );
    expect(checkConfigPatch({ max_upgrade_additional: null })).toEqual({
      patch: { max_upgrade_additional: null },
    });
    expect(checkConfigPatch({})).toEqual({ patch: {} });
  });

  it('refuses unknown keys first, naming all of them', () => {
    expect(refusal({ respawn: false, number: 0, ack_mode: 'manual' })).toBe(
      'Refusing config: unknown key "respawn", "ack_mode"; only number, seconds, max_unacked, max_upgrade_additional, signal_timeout can be changed at run time.',
    );
  });

  it.each<[string, unknown, string]>([
    ['number', 0, 'an integer in [1, 1000]'],
    ['number', 1001, 'an integer in [1, 1000]'],
    ['number', 2.5, 'an integer in [1, 1000]'],
    ['number', '3', 'an integer in [1, 1000]'],
    ['seconds', 0, 'a number > 0'],
    ['seconds', Infinity, 'a number > 0'],
    ['seconds', 'abc', 'a number > 0'],
    ['max_unacked', 0, 'an integer ≥ 1'],
    ['max_unacked', null, 'an integer ≥ 1'],
    ['max_upgrade_additional', -1, 'an integer ≥ 0, or ~ for no limit'],
    ['max_upgrade_additional', 'none', 'an integer ≥ 0, or ~ for no limit'],
    ['signal_timeout', -0.5, 'a number ≥ 0'],
    ['signal_timeout', [1], 'a number ≥ 0'],
  ])('refuses %s: %j (expected %s)', (key, value, expected) => {
    expect(refusal({ [key]: value })).toBe(
      `Refusing config: "${key}" is invalid (expected ${expected}), found ${JSON.stringify(value)}; send a corrected value.`,
    );
  });

  it('reports the first invalid key in key order', () => {
    expect(refusal({ signal_timeout: -1, number: 0 })).toMatch(/^Refusing config: "number"/);
  });
});
