import { describe, expect, it } from 'vitest';
import { shellSplit, splitCommandSequence, UnmatchedQuoteError } from './split-commands.ts';

// Expected words were produced by Ruby's Shellwords.shellsplit (Ruby 3.1).
describe('shellSplit', () => {
  it.each([
    ['a "b\\"c" d\\ e x\\', ['a', 'b"c', 'd e', 'x\\']],
    ['a\\\nb', ['a\\\nb']],
    ['  set_workers \'3 4\'  "x$y\\$z" ', ['set_workers', '3 4', 'x$y$z']],
    ['inc', ['inc']],
    ['', []],
    ['   ', []],
    ['a""b \'\'', ['ab', '']],
  ])('splits %j like Ruby', (line, words) => {
    expect(shellSplit(line)).toEqual(words);
  });

  it.each(['a "b', "it's", 'x"'])('rejects the unmatched quote in %j', (line) => {
    expect(() => shellSplit(line)).toThrow(UnmatchedQuoteError);
  });
});

describe('splitCommandSequence', () => {
  it('splits on every ";" first, then into command and string args', () => {
    expect(splitCommandSequence('inc; set_workers 3 ;;state')).toEqual([
      { command: 'inc', args: [] },
      { command: 'set_workers', args: ['3'] },
      { command: 'state', args: [] },
    ]);
  });

  it('does not let quotes protect ";", as einhornsh does not', () => {
    expect(() => splitCommandSequence('signal "USR1; USR2"')).toThrow(UnmatchedQuoteError);
  });
});
