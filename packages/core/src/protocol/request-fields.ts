// The fields of each command, checked without zod: readRequest runs on every line the master
// reads, and zod costs a master ~12-17 MiB of resident memory. The table mirrors the zod schemas
// of `@einhorn/core/schema` (schemas/command.ts), which stay the public opt-in validation; a
// property test (request-fields.test.ts) checks that both accept the same mappings with the same
// output and report the same issues, in the same order and words.
import type { CommandName, EinhornCommand } from '../types.ts';

/** One problem with a field: where (`pid`, `args.0`) and what, in zod's English wording. */
export interface FieldIssue {
  readonly path: string;
  readonly message: string;
}

export type FieldCheck =
  | { readonly success: true; readonly data: EinhornCommand }
  | { readonly success: false; readonly issues: readonly FieldIssue[] };

type Kind = 'pid' | 'string' | 'boolean' | 'strings';
/** A field after `id` and `command`: its name, its kind, and whether it is required. */
type Field = readonly [name: string, kind: Kind, required?: true];

const PID: Field = ['pid', 'pid', true];
const ARGS: readonly Field[] = [['args', 'strings']];

/** The commands with fields of their own, in the zod schemas' order; the others have none. */
const FIELDS: Partial<Record<CommandName, readonly Field[]>> = {
  'worker:ack': [PID, ['confirm', 'boolean']],
  'worker:ping': [PID, ['request_id', 'string', true]],
  ehlo: [['user', 'string']],
  state: [['format', 'string']],
  set_workers: ARGS,
  signal: ARGS,
  die: ARGS,
  config: ARGS,
};

/** zod's `invalid_type` issue, with what it received named as its English locale does. */
function typeIssue(path: string, expected: string, value: unknown): FieldIssue {
  const found =
    typeof value === 'number'
      ? Number.isFinite(value)
        ? 'number'
        : String(value) // NaN, Infinity, -Infinity
      : value === null
        ? 'null'
        : Array.isArray(value)
          ? 'array'
          : typeof value;
  return { path, message: `Invalid input: expected ${expected}, received ${found}` };
}

/** `z.int().positive()`: a finite number, an integer, within the safe range, above zero. */
function checkPid(path: string, value: unknown, issues: FieldIssue[]): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    issues.push(typeIssue(path, 'number', value));
    return;
  }
  if (!Number.isInteger(value)) {
    issues.push(typeIssue(path, 'int', value));
    return;
  }
  if (value > Number.MAX_SAFE_INTEGER)
    issues.push({ path, message: `Too big: expected int to be <=${Number.MAX_SAFE_INTEGER}` });
  if (value < Number.MIN_SAFE_INTEGER)
    issues.push({ path, message: `Too small: expected int to be >=${Number.MIN_SAFE_INTEGER}` });
  if (value <= 0) issues.push({ path, message: 'Too small: expected number to be >0' });
}

function checkField([name, kind]: Field, value: unknown, issues: FieldIssue[]): void {
  if (kind === 'pid') checkPid(name, value, issues);
  else if (kind !== 'strings') {
    if (typeof value !== kind) issues.push(typeIssue(name, kind, value));
  } else if (!Array.isArray(value)) issues.push(typeIssue(name, 'array', value));
  else {
    value.forEach((item: unknown, index) => {
      if (typeof item !== 'string') issues.push(typeIssue(`${name}.${index}`, 'string', item));
    });
  }
}

/** `requestIdSchema`: a string, a boolean or a finite number. */
export function isRequestId(value: unknown): value is string | number | boolean {
  return (
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}

/**
 * Einhorn treats a `nil` value like an absent key, so `{"id": null}` has no id (check 13).
 * Dropping top-level nulls gives the same meaning: optional fields become absent and
 * required ones (`pid`, `request_id`) are reported missing.
 */
export function dropNullFields(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== null));
}

/**
 * Checks a decoded mapping whose `command` is `name` as `commandSchemas[name].safeParse(
 * dropNullFields(raw))` does: `null` fields count as absent, unknown keys are dropped, and every
 * issue is reported in the schema's field order.
 */
export function checkCommandFields(
  name: CommandName,
  raw: Readonly<Record<string, unknown>>,
): FieldCheck {
  const issues: FieldIssue[] = [];
  const data: Record<string, unknown> = {};
  const present = (key: string): boolean => Object.hasOwn(raw, key) && raw[key] !== null;
  if (present('id')) {
    if (isRequestId(raw['id'])) data['id'] = raw['id'];
    else issues.push({ path: 'id', message: 'Invalid input' });
  }
  data['command'] = name;
  for (const field of FIELDS[name] ?? []) {
    const [key, , required] = field;
    if (!present(key)) {
      if (required) checkField(field, undefined, issues);
      continue;
    }
    const value = raw[key];
    checkField(field, value, issues);
    data[key] = Array.isArray(value) ? [...(value as unknown[])] : value;
  }
  return issues.length > 0
    ? { success: false, issues }
    : { success: true, data: data as unknown as EinhornCommand };
}
