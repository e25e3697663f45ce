import { EinhornProtocolError } from '../errors/errors.ts';
import { resolveMaxLineBytes } from '../internal/options.ts';
import type { DecodeOptions, EinhornCommand, EinhornReply, RequestId } from '../types.ts';
import { escapeLine, unescapeLine } from './escape.ts';
import { parseYamlData } from './yaml.ts';

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
 * @returns one line ending in `\n`, readable by einhorn, `einhornsh` and {@link decodeMessage}.
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

function stripLineEnd(line: string): string {
  const withoutLf = line.endsWith('\n') ? line.slice(0, -1) : line;
  return withoutLf.endsWith('\r') ? withoutLf.slice(0, -1) : withoutLf;
}

/**
 * Decodes one command-socket line: undo {@link unescapeLine}, then parse the body as
 * YAML 1.1 the way einhorn's Psych does (JSON is valid YAML). Only plain data comes
 * out: explicit tags (`!ruby/object:…`) are rejected and never executed, at most 100
 * aliases are followed and recursive ones are rejected, dates stay strings, `1e3` is a
 * string, `yes`/`no`/`on`/`off` are booleans, duplicate keys keep the last value. Escaped
 * surrogate pairs (`"\ud83d\ude00"`) decode to the character, as in JSON (Psych rejects
 * them); unpaired surrogates are rejected. An empty line decodes to `null`.
 *
 * @param line - one line, with or without its trailing `\n` or `\r\n`.
 * @param options - see {@link DecodeOptions}.
 * @returns the decoded value (any JSON-like value; validate it with {@link parseCommand} or {@link readRequest}).
 * @throws EinhornProtocolError `ERR_EINHORN_PROTOCOL_DECODE` when the body is not acceptable
 *   YAML; `ERR_EINHORN_PROTOCOL_LINE_TOO_LONG` when it exceeds `maxLineBytes`.
 * @throws EinhornError `ERR_EINHORN_INVALID_OPTIONS` when `maxLineBytes` is not a positive integer.
 * @example
 * ```ts
 * decodeMessage('---%0Acommand: worker:ack%0Apid: 12345%0A\n'); // { command: 'worker:ack', pid: 12345 }
 * ```
 */
export function decodeMessage(line: string, options?: DecodeOptions): unknown {
  const maxLineBytes = resolveMaxLineBytes(options, 'decodeMessage() options');
  const body = stripLineEnd(line);
  if (body.length > maxLineBytes / 3) {
    const bytes = Buffer.byteLength(body, 'utf8');
    if (bytes > maxLineBytes) {
      throw new EinhornProtocolError(
        'ERR_EINHORN_PROTOCOL_LINE_TOO_LONG',
        `Expected a line of at most ${maxLineBytes} bytes, but found ${bytes}; close the connection or raise maxLineBytes.`,
        { details: { maxLineBytes, lineBytes: bytes } },
      );
    }
  }
  if (body.includes('\n')) {
    throw new EinhornProtocolError(
      'ERR_EINHORN_PROTOCOL_DECODE',
      'Expected one line, but found a raw newline inside it; split the input with createLineSplitter first.',
      {
        details: { reason: 'raw newline inside the line' },
      },
    );
  }
  try {
    return parseYamlData(unescapeLine(body));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new EinhornProtocolError(
      'ERR_EINHORN_PROTOCOL_DECODE',
      `Expected a JSON or YAML message, but the line could not be decoded (${reason}); send one escaped JSON object per line.`,
      { cause: error, details: { reason } },
    );
  }
}
