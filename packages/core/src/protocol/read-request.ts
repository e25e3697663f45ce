import { EinhornError } from '../errors/einhorn-error.ts';
import type { DecodeOptions, ReadRequestResult, RequestId } from '../types.ts';
import { isCommandName } from './command-names.ts';
import { decodeMessage } from './decode.ts';
import { checkCommandFields, isRequestId } from './request-fields.ts';
import { schemaIssuesError } from './schema-error.ts';

function describeName(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * Classifies one request line the way einhorn does before dispatching it (docs/reference/protocol.md, "Commands"),
 * so a master can send the same replies.
 *
 * - not YAML, or YAML but not a mapping (`\n`, `42`, `garbage: [`) → `unparseable` (check 14);
 * - a mapping whose `command` is absent, `null` or `false` → `no-command` (check 15);
 * - a `command` that is not a known name → `unknown-command`; `stat%65` stays literal (checks 16, 19);
 * - a known name with bad fields (e.g. `"pid":"123"`) → `invalid` with the schema error (check 24);
 * - otherwise `command`.
 *
 * `id` is reported when it is a scalar; `id: null` counts as absent (check 13). Fields are checked
 * without zod, as `commandSchemas` would; JSON lines need no `yaml` (see {@link decodeMessage}).
 *
 * @param line - one line, with or without its `\n`.
 * @param options - see {@link DecodeOptions}; an over-long line is `unparseable`.
 * @returns the classification.
 * @throws Error `MODULE_NOT_FOUND` only if a YAML line arrives and `yaml@2` is not installed.
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
  } catch (error) {
    if (error instanceof EinhornError) return { kind: 'unparseable' };
    throw error;
  }
  if (typeof decoded !== 'object' || decoded === null || Array.isArray(decoded))
    return { kind: 'unparseable' };
  const raw = decoded as Readonly<Record<string, unknown>>;
  const id: RequestId | undefined = isRequestId(raw['id']) ? raw['id'] : undefined;
  const withId = id === undefined ? {} : { id };
  const name = raw['command'];
  if (name === undefined || name === null || name === false)
    return { kind: 'no-command', ...withId };
  if (typeof name !== 'string' || !isCommandName(name)) {
    return { kind: 'unknown-command', name: describeName(name), ...withId };
  }
  const result = checkCommandFields(name, raw);
  if (!result.success) {
    return {
      kind: 'invalid',
      name,
      error: schemaIssuesError(`a valid "${name}" command`, result.issues),
      raw,
      ...withId,
    };
  }
  return { kind: 'command', command: result.data, ...withId };
}
