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

interface Field {
  readonly name: string;
  readonly kind: Kind;
  readonly required: boolean;
}

const optional = (name: string, kind: Kind): Field => ({ name, kind, required: false });
const required = (name: string, kind: Kind): Field => ({ name, kind, required: true });
const ARGS = [optional('args', 'strings')];

/** Per command, its fields after `id` and `command`, in the zod schemas' order. */
const FIELDS: Readonly<Record<CommandName, readonly Field[]>> = {
  'worker:ack': [required('pid', 'pid'), optional('confirm', 'boolean')],
  'worker:ping': [required('pid', 'pid'), required('request_id', 'string')],
  ehlo: [optional('user', 'string')],
  help: [],
  state: [optional('format', 'string')],
  reload: [],
  inc: [],
  dec: [],
  set_workers: ARGS,
  quieter: [],
  louder: [],
  upgrade: [],
  upgrade_fleet: [],
  signal: ARGS,
  die: ARGS,
  config: ARGS,
};

/** zod's name for what it received (`util.parsedType` as its English locale prints it). */
function received(value: unknown): string {
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function typeIssue(path: string, expected: string, value: unknown): FieldIssue {
  const found = typeof value === 'number' && Number.isFinite(value) ? 'number' : received(value);
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

function checkField(field: Field, value: unknown, issues: FieldIssue[]): void {
  const { name, kind } = field;
  if (kind === 'pid') checkPid(name, value, issues);
  else if (kind === 'string' || kind === 'boolean') {
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
  for (const field of FIELDS[name]) {
    if (!present(field.name)) {
      if (field.required) checkField(field, undefined, issues);
      continue;
    }
    const value = raw[field.name];
    checkField(field, value, issues);
    data[field.name] = Array.isArray(value) ? [...(value as unknown[])] : value;
  }
  return issues.length > 0
    ? { success: false, issues }
    : { success: true, data: data as unknown as EinhornCommand };
}
