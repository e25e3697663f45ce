// Hostile lines built from YAML structure: well-formed requests, tags, dates, aliases and alias
// bombs, deep nesting, and invalid UTF-8 inside otherwise valid requests.
import fc from 'fast-check';
import { aliasGames, badBytes, nesting, tagged } from './hostile-values.ts';
import { line } from './hostile-types.ts';
import type { LineBody, LineContext } from './hostile-types.ts';

const j = JSON.stringify;
/** Pids that cannot exist on Linux (above pid_max 2^22), so a fuzzed ack never ACKs a real worker. */
const fakePid = fc.integer({ min: 2 ** 22 + 1, max: 2 ** 31 - 1 });

export function structuralLines({
  cmd,
  id,
}: LineContext): Record<
  'valid' | 'tag' | 'date' | 'alias' | 'deep' | 'utf8',
  fc.Arbitrary<LineBody>
> {
  const valid = fc.oneof(
    fc.tuple(cmd, id).map(([c, i]) => line('valid', `{"command":${j(c)},"id":${i}}`)),
    fc
      .tuple(cmd, id)
      .map(([c, i]) => line('valid', `---%0Acommand: ${c}%0Aid: ${i}%0Aargs: []%0A`)),
    fc
      .tuple(cmd, fc.string({ maxLength: 10 }))
      .map(([c, u]) => line('valid', `{command: ${c}, user: ${j(u)}}`)),
    fakePid.map((pid) => line('valid', `{"command":"worker:ack","pid":${pid}}`, true)),
    fc
      .tuple(fakePid, fc.string({ maxLength: 10 }))
      .map(([pid, r]) =>
        line('valid', `{"command":"worker:ping","pid":${pid},"request_id":${j(r)}}`, true),
      ),
    fakePid.map((pid) => line('valid', `---%0Acommand: worker:ack%0Apid: ${pid}%0A`, true)),
  );

  const tag = fc
    .tuple(cmd, tagged, fc.integer({ min: 0, max: 5 }))
    .map(([c, t, where]) =>
      line(
        'tag',
        [
          `--- ${t}`,
          `{command: ${t}}`,
          `{"command":${j(c)},"id":${t}}`,
          `{"command":${j(c)},"x":${t}}`,
          `---%0Acommand: ${c}%0Aid: ${t}%0A`,
          `%TAG ! tag:evil.example,2024:%0A--- !x {command: ${c}}`,
        ][where] ?? '',
      ),
    );

  const dates = fc.constantFrom(
    '2020-01-01',
    '2001-12-14t21:59:43.10-05:00',
    '2001-12-14 21:59:43.10 -5',
    '1:20',
    '190:20:30.15',
    '12:30:45',
    '2001-13-45',
    '0000-00-00',
    '2002-12-14T25:61:61Z',
  );
  const date = fc.oneof(
    fc.constant(line('date', '{"command":"help","id":1,"x":2020-01-01}')),
    fc.tuple(cmd, dates).map(([c, d]) => line('date', `{"command":${j(c)},"id":${d}}`)),
    fc.tuple(cmd, dates).map(([c, d]) => line('date', `{command: ${c}, x: ${d}, y: [${d}, ${d}]}`)),
  );

  const alias = fc.oneof(
    fc.tuple(cmd, aliasGames).map(([c, a]) => line('alias', `{command: ${c}, id: 1, x: ${a}}`)),
    cmd.map((c) => line('alias', `{command: &c ${c}, id: *c}`)),
    cmd.map((c) => line('alias', `{base: &b {command: ${c}, id: 3}, <<: *b}`)),
    aliasGames.map((a) => line('alias', a)),
  );

  const deep = fc.oneof(
    fc.tuple(cmd, nesting).map(([c, n]) => line('nesting', `{"command":${j(c)},"id":1,"x":${n}}`)),
    nesting.map((n) => line('nesting', n)),
    fc
      .tuple(cmd, fc.constantFrom(50, 255, 300))
      .map(([c, d]) =>
        line(
          'nesting',
          `---%0Acommand: ${c}%0Ax:%0A${Array.from({ length: d }, (_, i) => `${' '.repeat(i)}-`).join('%0A')} 1%0A`,
        ),
      ),
  );

  const utf8 = fc
    .tuple(cmd, badBytes, fc.integer({ min: 0, max: 3 }))
    .map(([c, bad, where]): LineBody => {
      const enc = (s: string): number[] => [...Buffer.from(s, 'utf8')];
      const forms = [
        [...enc(`{"command":${j(c)},"id":"`), ...bad, ...enc('"}')],
        [...enc('{"command":"'), ...bad, ...enc('"}')],
        [...bad],
        [...bad, ...enc(`{"command":${j(c)}}`)],
      ];
      return {
        category: 'utf8',
        bytes: forms[where] ?? [],
        workerCommand: false,
      };
    });

  return { valid, tag, date, alias, deep, utf8 };
}
