// Hostile lines built from bytes and text games: NUL, CR/LF mixes, %0A/%25 escapes, unknown
// commands, wrong types for every field of every command, and garbage.
import fc from 'fast-check';
import { COMMAND_NAMES } from '@einhorn/core';
import { FIELDS, MUTATING_COMMANDS, oddScalar, wrongTypedValue } from './hostile-values.ts';
import { line } from './hostile-types.ts';
import type { LineBody, LineContext } from './hostile-types.ts';

const j = JSON.stringify;

export function textualLines({
  cmd,
  id,
  safe,
}: LineContext): Record<
  'nul' | 'crlf' | 'percent' | 'unknown' | 'wrongType' | 'garbage',
  fc.Arbitrary<LineBody>
> {
  const insertAt = (text: string, at: number, what: string): string => {
    const i = at % (text.length + 1);
    return text.slice(0, i) + what + text.slice(i);
  };
  const nul = fc.oneof(
    fc
      .tuple(cmd, fc.nat())
      .map(([c, at]) => line('nul', insertAt(`{"command":${j(c)},"id":7}`, at, '\u0000'))),
    cmd.map((c) => line('nul', `{"command":${j(c)},"id":"\\u0000"}`)),
    cmd.map((c) => line('nul', `{"command":"${c}\\u0000"}`)),
    fc.constant(line('nul', '\u0000')),
  );

  const crlf = fc.oneof(
    fc
      .tuple(cmd, fc.nat(), fc.constantFrom('\r', '\r\r', '\u2028', '\u0085', '\v'))
      .map(([c, at, cr]) => line('crlf', insertAt(`{"command":${j(c)},"id":8}`, at, cr))),
    fc.constantFrom(line('crlf', '\r'), line('crlf', '\r\r\r'), line('crlf', '')),
    cmd.map((c) => line('crlf', `---\r%0Acommand: ${c}\r%0A`)),
  );

  const percentGames = [
    '%0A',
    '%25',
    '%250A',
    '%25%30A',
    '%%0A',
    '%0a',
    '%',
    '%2',
    '%0',
    '%ZZ',
    '%00',
    '%0D%0A',
  ];
  const percent = fc.oneof(
    fc
      .tuple(cmd, fc.nat(), fc.constantFrom(...percentGames))
      .map(([c, at, p]) => line('percent', insertAt(`{"command":${j(c)},"id":9}`, at, p))),
    fc
      .tuple(cmd, fc.constantFrom(...percentGames))
      .map(([c, p]) => line('percent', `---${p}command: ${c}${p}id: 5${p}`)),
    cmd.map((c) => line('percent', `{"command":${j(c)},"id":"%25%0A%"}`)),
    fc.constant(line('percent', '{"command":"stat%65","id":6}')),
  );

  const specialNames = [
    '__proto__',
    'constructor',
    'toString',
    'hasOwnProperty',
    'valueOf',
    'prototype',
    'STATE',
    'Help',
    'state ',
    ' state',
    'worker:ACK',
    'worker',
    'stat%65',
    'upgrade\u0000',
    'ttin',
    'status',
    'kill',
    '',
  ];
  const unknown = fc.oneof(
    fc
      .tuple(fc.constantFrom(...specialNames), id)
      .map(([n, i]) => line('unknown', `{"command":${j(n)},"id":${i}}`, false)),
    fc
      .tuple(fc.string({ unit: 'binary', maxLength: 20 }), id)
      .filter(([n]) => !(COMMAND_NAMES as readonly string[]).includes(n))
      .map(([n, i]) => line('unknown', `{"command":${j(n)},"id":${i}}`)),
    fc
      .tuple(fc.oneof(wrongTypedValue, oddScalar), id)
      .filter(([v]) => !MUTATING_COMMANDS.some((name) => v.includes(name)))
      .map(([v, i]) => line('unknown', `{"command":${v},"id":${i}}`)),
  );

  const wrongValue = fc.oneof(wrongTypedValue, oddScalar);
  const structural = wrongTypedValue.filter(
    (v) => (v.startsWith('[') || v.startsWith('{')) && v !== '[]',
  );
  const wrongType = fc.oneof(
    fc
      .tuple(
        fc.constantFrom(...safe),
        fc.constantFrom(...FIELDS),
        wrongValue,
        fc.option(id, { nil: undefined }),
      )
      .map(([name, field, value, i]) =>
        line(
          'wrong-type',
          `{"command":${j(name)},${field === 'id' || i === undefined ? '' : `"id":${i},`}${j(field)}:${value}}`,
        ),
      ),
    // Against a real master a state-changing command must stay invalid: a wrong-typed args or id.
    fc
      .tuple(fc.constantFrom(...MUTATING_COMMANDS), structural, structural)
      .map(([name, args, badId]) =>
        line('wrong-type', `{"command":${j(name)},"id":${badId},"args":${args}}`),
      ),
  );

  const garbage = fc.oneof(
    fc
      .string({ unit: 'binary', maxLength: 60 })
      .map((s) => line('garbage', s.replaceAll('\n', ' '))),
    fc
      .string({
        unit: fc.constantFrom(...Array.from('{}[]:,-?!&*|>\'"%#@` \tcommand')),
        maxLength: 60,
      })
      .map((s) => line('garbage', s)),
  );

  return { nul, crlf, percent, unknown, wrongType, garbage };
}
