// The lines that kill or stall the real einhorn (PROTOCOL check 52, P3, P19), one probe each.
// The real master dies on the first two (a YAML date, a Ruby object tag) in both 0.8.2 and 1.1.1.
import type { HostileLine, Probe } from './hostile-lines.ts';
import { aliasBomb, nested } from './hostile-values.ts';

const MIB = 1024 * 1024;

/** A one-line, LF-terminated hostile line. */
export function textLine(
  category: HostileLine['category'],
  line: string,
  workerCommand = false,
): HostileLine {
  return { category, text: line, terminator: '\n', workerCommand };
}

/** A probe that writes its lines in one go. */
export function wholeProbe(...lines: HostileLine[]): Probe {
  return { lines, delivery: { kind: 'whole' } };
}

/** A line of exactly `size` bytes. */
export function hugeLine(size: number): HostileLine {
  return {
    category: 'huge',
    huge: { size },
    terminator: '\n',
    workerCommand: false,
  };
}

export const KNOWN_KILLERS: readonly Probe[] = [
  wholeProbe(textLine('date', '{"command":"help","id":1,"x":2020-01-01}')),
  wholeProbe(textLine('tag', '--- !ruby/object:Object {}')),
  wholeProbe(textLine('alias', '*x')),
  wholeProbe(textLine('alias', '{a: &x 1, b: *x, command: help}')),
  wholeProbe(textLine('date', '{command: help, id: 2001-12-14t21:59:43.10-05:00}')),
  wholeProbe(textLine('alias', aliasBomb(9, 9))),
  wholeProbe(textLine('nesting', nested('seq', 10_000))),
  wholeProbe(textLine('nesting', nested('open-map', 10_000))),
  wholeProbe(
    textLine(
      'tag',
      '{"command":"config","args":["--- !ruby/object:Gem::Installer {i: x}"],"id":3}',
    ),
  ),
  wholeProbe(hugeLine(3 * MIB)),
];
