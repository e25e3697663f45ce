import { describe, expect, it } from 'vitest';
import { normalizeSignalOption, parseInteger, parseSeconds } from './number-syntax.ts';

describe("einhorn's number syntax", () => {
  it.each([
    ['2', 2],
    ['0.5', 0.5],
    ['.5', 0.5],
    ['5.', 5],
    ['+3', 3],
    ['-1', -1],
    ['1e-1', 0.1],
    ['2E2', 200],
    [' 7 ', 7],
  ])('reads %j as %d seconds, like Float()', (text, value) => {
    expect(parseSeconds(text)).toBe(value);
  });

  it.each(['', ' ', 'abc', '3abc', '1.2.3', '0x10', '1e', 'Infinity', 'NaN', '1_000', '1e999'])(
    'refuses %j as seconds',
    (text) => {
      expect(parseSeconds(text)).toBeUndefined();
    },
  );

  it.each([
    ['3', 3],
    ['+3', 3],
    ['-1', -1],
    [' 7\t', 7],
    ['007', 7],
  ])('reads %j as the integer %d, like Integer()', (text, value) => {
    expect(parseInteger(text)).toBe(value);
  });

  it.each(['', 'two', '3abc', '1.5', '1e3', '0x10', '--1'])('refuses %j as an integer', (text) => {
    expect(parseInteger(text)).toBeUndefined();
  });

  it.each([
    ['term', 'SIGTERM'],
    ['TERM', 'SIGTERM'],
    ['sigusr1', 'SIGUSR1'],
    ['SIGQUIT', 'SIGQUIT'],
    ['nope', 'SIGNOPE'],
  ])('normalizes the signal %j to %j', (text, name) => {
    expect(normalizeSignalOption(text)).toBe(name);
  });
});
