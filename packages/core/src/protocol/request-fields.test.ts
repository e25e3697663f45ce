// The zod-free field table must accept exactly what the public zod schemas accept, with the same
// output and the same issues (path and words, in order): readRequest's `invalid` replies quote them.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { z } from 'zod';
import { commandSchemas } from '../schemas/command.ts';
import type { CommandName, ReadRequestResult } from '../types.ts';
import { COMMAND_NAMES, isCommandName } from './command-names.ts';
import { decodeMessageAsYaml } from './decode.ts';
import { escapeLine } from './escape.ts';
import { sameValue } from './json-lines.test-helpers.ts';
import { schemaError } from './parse-message.ts';
import { readRequest } from './read-request.ts';
import { checkCommandFields, dropNullFields, type FieldCheck } from './request-fields.ts';

const FIELD_NAMES = ['id', 'pid', 'confirm', 'request_id', 'user', 'format', 'args'];

/** Values chosen around every boundary of the schemas. */
const scalar = fc.oneof(
  fc.constantFrom(0, -0, 1, -1, 1.5, -1.5, 12345, 2 ** 53 - 1, 2 ** 53, -(2 ** 53), 1e300),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 6 }),
  fc.constantFrom('123', '', 'sigusr1'),
  fc.boolean(),
  fc.constant(null),
);
const fieldValue = fc.oneof(
  { weight: 6, arbitrary: scalar },
  { weight: 2, arbitrary: fc.array(scalar, { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 3 }), scalar, { maxKeys: 2 }) },
);

/** A request mapping for `name`: any subset of the known fields, plus unknown keys. */
function mapping(name: CommandName): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .tuple(
      fc.dictionary(fc.constantFrom(...FIELD_NAMES), fieldValue, { maxKeys: 5 }),
      fc.dictionary(fc.constantFrom('x', '__proto__', 'constructor', 'wait'), scalar, {
        maxKeys: 2,
      }),
    )
    .map(([fields, extra]) => ({ ...extra, command: name, ...fields }));
}

const request = fc
  .constantFrom(...COMMAND_NAMES)
  .chain((name) => fc.tuple(fc.constant(name), mapping(name)));

function viaZod(name: CommandName, raw: Record<string, unknown>): FieldCheck {
  const result = (commandSchemas[name] as z.ZodType).safeParse(dropNullFields(raw));
  if (result.success) return { success: true, data: result.data as never };
  const issues = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
  return { success: false, issues };
}

describe('checkCommandFields ≡ commandSchemas[name].safeParse(dropNullFields(raw)) (property)', () => {
  it('accepts exactly what zod accepts, with equal data, and reports the same issues', () => {
    fc.assert(
      fc.property(request, ([name, raw]) => {
        const ours = checkCommandFields(name, raw);
        const theirs = viaZod(name, raw);
        expect(ours.success).toBe(theirs.success);
        if (ours.success && theirs.success) {
          expect(sameValue(ours.data, theirs.data)).toBe(true);
        } else {
          expect(ours).toEqual(theirs);
        }
      }),
      { numRuns: 4000 },
    );
  });

  it('control: the comparison notices a dropped field, an extra field or another issue', () => {
    const raw = { command: 'worker:ack', pid: 7, confirm: true, x: 1 };
    const theirs = viaZod('worker:ack', raw);
    if (!theirs.success) throw new Error('expected a valid ack');
    expect(sameValue({ command: 'worker:ack', pid: 7 }, theirs.data)).toBe(false);
    expect(sameValue({ ...theirs.data, x: 1 }, theirs.data)).toBe(false);
    expect(checkCommandFields('worker:ack', { ...raw, pid: -1 })).not.toEqual(
      viaZod('worker:ack', { ...raw, pid: 1.5 }),
    );
  });
});

/** The zod-based classification readRequest used to do, as the oracle for the new one. */
function readRequestWithZod(line: string): ReadRequestResult {
  let decoded: unknown;
  try {
    decoded = decodeMessageAsYaml(line);
  } catch {
    return { kind: 'unparseable' };
  }
  if (typeof decoded !== 'object' || decoded === null || Array.isArray(decoded))
    return { kind: 'unparseable' };
  const raw = decoded as Record<string, unknown>;
  const idValue = raw['id'];
  const id =
    typeof idValue === 'string' ||
    typeof idValue === 'boolean' ||
    (typeof idValue === 'number' && Number.isFinite(idValue))
      ? idValue
      : undefined;
  const withId = id === undefined ? {} : { id };
  const name = raw['command'];
  if (name === undefined || name === null || name === false)
    return { kind: 'no-command', ...withId };
  if (typeof name !== 'string' || !isCommandName(name))
    return {
      kind: 'unknown-command',
      name: typeof name === 'string' ? name : JSON.stringify(name),
      ...withId,
    };
  const result = (commandSchemas[name] as z.ZodType).safeParse(dropNullFields(raw));
  if (!result.success) {
    const error = schemaError(`a valid "${name}" command`, result.error);
    return { kind: 'invalid', name, error, raw, ...withId };
  }
  return { kind: 'command', command: result.data as never, ...withId };
}

/** JSON-representable requests (JSON has no NaN or Infinity), written as JSON and as YAML. */
const jsonRequest = fc
  .tuple(
    fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom<unknown>(...COMMAND_NAMES) },
      { weight: 1, arbitrary: fc.constantFrom<unknown>(null, false, 42, 'bogus', 'stat%65', []) },
    ),
    fc.dictionary(fc.constantFrom(...FIELD_NAMES, 'x'), fieldValue, { maxKeys: 5 }),
    fc.boolean(),
  )
  .map(([name, fields, withCommand]) => {
    const raw: unknown = JSON.parse(
      JSON.stringify({ ...(withCommand ? { command: name } : {}), ...fields }),
    );
    return raw as Record<string, unknown>;
  });

describe('readRequest ≡ the zod-based classification (property, checks 13, 14, 15, 16, 24)', () => {
  it('gives the same kind, command, id and schema error for JSON and YAML request lines', () => {
    fc.assert(
      fc.property(jsonRequest, fc.boolean(), (raw, asYaml) => {
        const line = `${escapeLine(asYaml ? stringify(raw, { version: '1.1' }) : JSON.stringify(raw))}\n`;
        const ours = readRequest(line);
        const theirs = readRequestWithZod(line);
        if (ours.kind === 'invalid' && theirs.kind === 'invalid') {
          const { error, ...rest } = ours;
          const { error: reference, ...referenceRest } = theirs;
          expect(rest).toEqual(referenceRest);
          expect(error.code).toBe('ERR_EINHORN_PROTOCOL_SCHEMA');
          expect(error.message).toBe(reference.message);
          expect(error.details).toEqual(reference.details);
        } else {
          expect(sameValue(ours, theirs), line).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
