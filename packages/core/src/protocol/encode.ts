import { EinhornProtocolError } from '../errors/errors.ts';
import type { EinhornCommand, EinhornReply, RequestId } from '../types.ts';
import { escapeLine } from './escape.ts';

// In `u` mode this matches only unpaired surrogates, which UTF-8 cannot carry and Psych rejects.
const LONE_SURROGATES = /[\uD800-\uDFFF]/gu;

function toWellFormed(text: string): string {
  return text.replace(LONE_SURROGATES, '\uFFFD');
}

function wellFormedReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'string') return toWellFormed(value);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  if (keys.every((key) => toWellFormed(key) === key)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, field]) => [toWellFormed(key), field]),
  );
}

// Psych (einhorn's parser) reads a number without a dot, like JSON's `1e+21`, as a string, and refuses
// raw DEL/C1 controls, U+FFFE and U+FFFF, and folds raw NEL/LS/PS inside quotes. JSON can say the same
// things as `1.0e+21` and `\u0085`, so those are rewritten; strings are matched first so that only
// number tokens outside them are touched.
const JSON_TOKENS = /"(?:[^"\\]|\\.)*"|(?<![\d.])(-?\d+)(e[+-]\d+)/g;
const PSYCH_UNSAFE_CHARS = /[\u007f-\u009f\u2028\u2029\ufffe\uffff]/g;

function psychCompatibleJson(json: string): string {
  return json.replace(
    JSON_TOKENS,
    (token, mantissa: string | undefined, exponent: string | undefined) =>
      mantissa === undefined
        ? token.replace(
            PSYCH_UNSAFE_CHARS,
            (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
          )
        : `${mantissa}.0${String(exponent)}`,
  );
}

/**
 * Encodes one message as a command-socket line: compact JSON, then {@link escapeLine},
 * then `\n`. JSON strings carry newlines as the escape `\n`, which einhorn's YAML parser
 * reads correctly (a raw or `%0A` newline inside a quoted string would be folded to a
 * space, check 55). Unpaired surrogates become U+FFFD, as UTF-8 output would make them anyway.
 * Two rewrites keep the JSON readable by Psych without changing its JSON meaning: exponent
 * numbers get a dot (`1e+21` → `1.0e+21`), and DEL, C1 controls, NEL, U+2028/U+2029,
 * U+FFFE and U+FFFF are written as `\uXXXX` escapes.
 *
 * @param message - a command, a reply, or any JSON-serialisable object.
 * @returns one line ending in `\n`, readable by einhorn, `einhornsh` and {@link yaml!decodeMessage}.
 * @throws EinhornProtocolError `ERR_EINHORN_PROTOCOL_SCHEMA` when `message` is not a
 *   JSON-serialisable object (a BigInt, a cycle, an array).
 * @example
 * ```ts
 * socket.write(encodeMessage({ command: 'worker:ack', pid: process.pid }));
 * // '{"command":"worker:ack","pid":12345}\n'
 * ```
 */
export function encodeMessage(
  message: EinhornCommand | EinhornReply | Readonly<Record<string, unknown>>,
): string {
  if (typeof message !== 'object' || (message as unknown) === null || Array.isArray(message)) {
    throw new EinhornProtocolError(
      'ERR_EINHORN_PROTOCOL_SCHEMA',
      `Expected a message object, but found ${Array.isArray(message) ? 'an array' : typeof message}; wrap the data in an object.`,
    );
  }
  let json: string;
  try {
    json = JSON.stringify(message, wellFormedReplacer);
  } catch (error) {
    throw new EinhornProtocolError(
      'ERR_EINHORN_PROTOCOL_SCHEMA',
      `Expected a JSON-serialisable message, but JSON.stringify failed (${error instanceof Error ? error.message : String(error)}); remove BigInt values and cycles.`,
      { cause: error },
    );
  }
  return `${escapeLine(psychCompatibleJson(json))}\n`;
}

/**
 * Encodes a master reply with einhorn's key order `message`, `request_id`, `wait`.
 * Without a request id the reply is old-style (`{message}` only): einhorn never sends
 * `wait` to clients that gave no id, so `wait` is then left out too.
 *
 * @param message - the reply text.
 * @param requestId - the request's `id`, if it had one.
 * @param options - `wait: true` when more replies to this request follow.
 * @returns one escaped line ending in `\n`.
 * @example
 * ```ts
 * encodeReply('Upgrading smoothly, as commanded', 1, { wait: true });
 * // '{"message":"Upgrading smoothly, as commanded","request_id":1,"wait":true}\n'
 * ```
 */
export function encodeReply(
  message: string,
  requestId?: RequestId,
  options: { readonly wait?: boolean } = {},
): string {
  const reply: EinhornReply =
    requestId === undefined
      ? { message }
      : { message, request_id: requestId, ...(options.wait === true ? { wait: true } : {}) };
  return encodeMessage(reply);
}
