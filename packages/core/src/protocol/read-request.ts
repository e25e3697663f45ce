import { commandSchemas, dropNullFields } from '../schemas/command.ts';
import { isCommandName } from './command-names.ts';
import type { DecodeOptions, EinhornCommand, ReadRequestResult, RequestId } from '../types.ts';
import { decodeMessage } from './decode.ts';
import { schemaError } from './parse-message.ts';

function asRequestId(value: unknown): RequestId | undefined {
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function describeName(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * Classifies one request line the way einhorn does before dispatching it (docs/reference/protocol.md, "Commands"),
 * so a master can send the same replies. Never throws.
 *
 * - not YAML, or YAML but not a mapping (`\n`, `42`, `garbage: [`) → `unparseable` (check 14);
 * - a mapping whose `command` is absent, `null` or `false` → `no-command` (check 15);
 * - a `command` that is not a known name → `unknown-command`; `stat%65` stays literal (checks 16, 19);
 * - a known name with bad fields (e.g. `"pid":"123"`) → `invalid` with the schema error (check 24);
 * - otherwise `command`.
 *
 * `id` is reported when it is a scalar; `id: null` counts as absent (check 13).
 *
 * @param line - one line, with or without its `\n`.
 * @param options - see {@link DecodeOptions}; an over-long line is `unparseable`.
 * @returns the classification.
 * @example
 * ```ts
 * const request = readRequest('{"command":"inc","id":7}\n');
 * if (request.kind === 'command') handle(request.command, request.id);
 * ```
 */
export function readRequest(line: string, options?: DecodeOptions): ReadRequestResult {
  let decoded: unknown;
  try {
    decoded = decodeMessage(line, options);
  } catch {
    return { kind: 'unparseable' };
  }
  if (typeof decoded !== 'object' || decoded === null || Array.isArray(decoded))
    return { kind: 'unparseable' };
  const raw = decoded as Readonly<Record<string, unknown>>;
  const id = asRequestId(raw['id']);
  const withId = id === undefined ? {} : { id };
  const name = raw['command'];
  if (name === undefined || name === null || name === false)
    return { kind: 'no-command', ...withId };
  if (typeof name !== 'string' || !isCommandName(name)) {
    return { kind: 'unknown-command', name: describeName(name), ...withId };
  }
  const result = commandSchemas[name].safeParse(dropNullFields(raw));
  if (!result.success) {
    return {
      kind: 'invalid',
      name,
      error: schemaError(`a valid "${name}" command`, result.error),
      raw,
      ...withId,
    };
  }
  return { kind: 'command', command: result.data as EinhornCommand, ...withId };
}
