import { describe, expect, it } from 'vitest';
import { shellSplit } from './shell-split.ts';

describe('shellSplit (Ruby Shellwords.shellsplit, as einhorn splits --reexec-as)', () => {
  it('splits on whitespace and honours quotes and escapes', () => {
    expect(shellSplit('env VAR=b OINK=b einhorn-node')).toEqual([
      'env',
      'VAR=b',
      'OINK=b',
      'einhorn-node',
    ]);
    expect(shellSplit(`  sh -c 'exec "$0" "$@"'  node\\ x "a\\"b" ''`)).toEqual([
      'sh',
      '-c',
      'exec "$0" "$@"',
      'node x',
      'a"b',
      '',
    ]);
    expect(shellSplit('a"b"c')).toEqual(['abc']);
    expect(shellSplit('')).toEqual([]);
  });

  it('refuses an unmatched quote', () => {
    expect(() => shellSplit(`env 'VAR=b`)).toThrow(/Unmatched quote/);
  });
});
