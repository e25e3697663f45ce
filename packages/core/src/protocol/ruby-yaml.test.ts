import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isEinhornError } from '../errors/einhorn-error.ts';
import { decodeRubyYaml } from './decode.ts';
import { rubyTimeToIso } from './ruby-values.ts';

// Golden documents: einhorn 1.1.1's `state` message exactly as written, by a master with two
// ACKed workers behind one bound port (`-m manual -n 2 -b 127.0.0.1:PORT`), and one captured with
// a worker signalled by `dec` and every worker pinged. The expected JSON was produced by Ruby 3.1
// itself: `YAML.safe_load(doc, permitted_classes: [Set, Symbol, Time], aliases: true)`, then
// Symbols → names, Set → array, Time → `utc.iso8601(3)`.
const fixture = (name: string): string =>
  readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8');

describe('decodeRubyYaml: einhorn state documents read as Ruby reads them', () => {
  it.each(['einhorn-1.1.1-state', 'einhorn-1.1.1-state-signaled'])('%s', (name) => {
    const expected: unknown = JSON.parse(fixture(`${name}.expected.json`));
    expect(decodeRubyYaml(fixture(`${name}.yaml`))).toEqual(expected);
  });

  it('reads the numbers: pid keys, config.number 2, backlog 100, the aliased Time', () => {
    const root = decodeRubyYaml(fixture('einhorn-1.1.1-state.yaml')) as {
      state: Record<string, unknown> & { children: Record<string, Record<string, unknown>> };
    };
    expect(Object.keys(root.state.children)).toEqual(['19782', '19783']);
    expect(root.state['config']).toEqual({ number: 2, backlog: 100, seconds: 1 });
    expect(root.state.children['19783']?.['spinup_time']).toBe('2026-12-06T16:18:08.330Z');
    expect(root.state['last_spinup']).toBe('2026-12-06T16:18:08.330Z');
    expect(root.state['ack_mode']).toEqual({ type: 'manual' });
    expect(root.state['bind']).toEqual([['127.0.0.1', 18902, []]]);
  });

  it('reads a Set with members, and symbol values', () => {
    expect(
      decodeRubyYaml(
        '---\n:s: !ruby/object:Set\n  hash:\n    USR2: true\n    TERM: true\n:t: :timer\n',
      ),
    ).toEqual({ s: ['USR2', 'TERM'], t: 'timer' });
    expect(decodeRubyYaml(':"a b": 1\n\':q\': 2\n')).toEqual({ 'a b': 1, ':q': 2 });
  });

  it('rejects every other Ruby tag instead of building an object', () => {
    for (const doc of [
      '--- !ruby/object:Gem::Installer\ni: x\n',
      '--- !ruby/hash:ActiveSupport::HashWithIndifferentAccess\na: 1\n',
      '--- !ruby/object:Set\nhash: {}\nextra: 1\n',
      '--- !ruby/object:Set [a]\n',
      'x: !ruby/sym foo\n',
    ]) {
      let caught: unknown;
      try {
        decodeRubyYaml(doc);
      } catch (error) {
        caught = error;
      }
      expect(isEinhornError(caught, 'ERR_EINHORN_PROTOCOL_DECODE'), doc).toBe(true);
    }
  });

  it('control: decodeMessage-style plain parsing keeps the symbols and rejects the Set', async () => {
    const { parseYamlData } = await import('./yaml.ts');
    expect(parseYamlData(':a: :b\n')).toEqual({ ':a': ':b' });
    expect(() => parseYamlData(fixture('einhorn-1.1.1-state.yaml'))).toThrow(/explicit tag/);
  });
});

describe('rubyTimeToIso (Psych Time scalars)', () => {
  it.each([
    ['2026-12-06 16:18:08.319321365 +00:00', '2026-12-06T16:18:08.319Z'],
    ['2026-12-06 16:18:08 +05:30', '2026-12-06T10:48:08.000Z'],
    ['2026-12-06 16:18:08.5 -0700', '2026-12-06T23:18:08.500Z'],
    ['2026-12-06T16:18:08Z', '2026-12-06T16:18:08.000Z'],
    ['2026-12-06 16:18:08', '2026-12-06T16:18:08.000Z'],
  ])('%s → %s', (text, iso) => {
    expect(rubyTimeToIso(text)).toBe(iso);
  });

  it('leaves dates and other text alone', () => {
    expect(rubyTimeToIso('2026-12-06')).toBeUndefined();
    expect(rubyTimeToIso('16:18:08')).toBeUndefined();
  });
});
