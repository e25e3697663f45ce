// fast-check generator of hostile command-socket probes: a few lines (YAML tags, dates, alias
// bombs, deep nesting, invalid UTF-8, NUL, CR/LF mixes, %0A/%25 games, unknown commands, wrong
// types for every field of every command, multi-MB lines) plus how they are written (whole,
// chunked, trickled byte by byte). Against a real master (`target: 'master'`) no line can be a
// valid state-changing command (inc, set_workers, die, upgrade, …): those are sent only with a
// field of a wrong type, so the fuzzer never spawns 1000 workers or stops the master it tests.
import fc from 'fast-check';
import { COMMAND_NAMES } from '@einhorn/core';
import { structuralLines } from './hostile-structure.ts';
import { textualLines } from './hostile-text.ts';
import type { Delivery, HostileOptions, LineBody, Probe } from './hostile-types.ts';
import { HARMLESS_COMMANDS, WORKER_COMMANDS } from './hostile-values.ts';

export type { Category, Delivery, HostileLine, HostileOptions, Probe } from './hostile-types.ts';

export function hostileProbe(options: HostileOptions): fc.Arbitrary<Probe> {
  const fixture = options.target === 'fixture';
  const context = {
    safe: fixture ? [...COMMAND_NAMES] : [...HARMLESS_COMMANDS, ...WORKER_COMMANDS],
    cmd: fc.constantFrom(
      ...(fixture
        ? COMMAND_NAMES.filter((name) => !name.startsWith('worker:'))
        : HARMLESS_COMMANDS),
    ),
    id: fc.oneof(
      fc.integer({ min: -5, max: 1e6 }).map(String),
      fc.string({ maxLength: 8 }).map((s) => JSON.stringify(s)),
      fc.constantFrom('true', '1.5', 'null'),
    ),
  };
  const { valid, tag, date, alias, deep, utf8 } = structuralLines(context);
  const { nul, crlf, percent, unknown, wrongType, garbage } = textualLines(context);
  const huge = fc
    .constantFrom(
      options.maxLineBytes - 64,
      options.maxLineBytes + 1,
      2 * 1024 * 1024 + 3,
      4 * 1024 * 1024,
    )
    .map((size): LineBody => ({
      category: 'huge',
      huge: { size },
      workerCommand: false,
    }));

  const anyLine = fc.oneof(
    { weight: 60, arbitrary: valid },
    { weight: 40, arbitrary: tag },
    { weight: 40, arbitrary: date },
    { weight: 40, arbitrary: alias },
    { weight: 20, arbitrary: deep },
    { weight: 40, arbitrary: utf8 },
    { weight: 20, arbitrary: nul },
    { weight: 40, arbitrary: crlf },
    { weight: 40, arbitrary: percent },
    { weight: 40, arbitrary: unknown },
    { weight: 80, arbitrary: wrongType },
    { weight: 40, arbitrary: garbage },
    ...(options.hugeWeight > 0 ? [{ weight: options.hugeWeight, arbitrary: huge }] : []),
  );
  const terminator = fc.oneof(
    { weight: 8, arbitrary: fc.constant('\n' as const) },
    {
      weight: 2,
      arbitrary: fc.constantFrom('\r\n' as const, '\n\r' as const, '' as const),
    },
  );
  const delivery: fc.Arbitrary<Delivery> = fc.oneof(
    { weight: 3, arbitrary: fc.constant({ kind: 'whole' as const }) },
    {
      weight: 2,
      arbitrary: fc
        .array(fc.integer({ min: 1, max: 97 }), { minLength: 1, maxLength: 8 })
        .map((sizes) => ({ kind: 'chunks' as const, sizes })),
    },
    {
      weight: 1,
      arbitrary: fc.integer({ min: 1, max: 3 }).map((step) => ({ kind: 'trickle' as const, step })),
    },
  );
  return fc.record({
    lines: fc.array(
      fc.tuple(anyLine, terminator).map(([l, t]) => ({ ...l, terminator: t })),
      { minLength: 1, maxLength: 5 },
    ),
    delivery,
  });
}
