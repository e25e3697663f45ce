import { EinhornProtocolError } from '../errors/errors.ts';
import { resolveMaxLineBytes } from '../internal/options.ts';
import type { DecodeOptions } from '../types.ts';
import { unescapeLine } from './escape.ts';
import { decodeJsonFast, NOT_FAST } from './json-fast-path.ts';
import { loadYaml } from './load-yaml.ts';
import { parseRubyYamlData, parseYamlData } from './yaml.ts';

function stripLineEnd(line: string): string {
  const withoutLf = line.endsWith('\n') ? line.slice(0, -1) : line;
  return withoutLf.endsWith('\r') ? withoutLf.slice(0, -1) : withoutLf;
}

/** The line checks shared by both paths; returns the unescaped body. */
function lineBody(line: string, options: DecodeOptions | undefined): string {
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
  return unescapeLine(body);
}

/** The YAML path alone (no JSON fast path): what {@link decodeMessage} must always agree with. */
export function decodeMessageAsYaml(line: string, options?: DecodeOptions): unknown {
  return decodeYamlBody(lineBody(line, options));
}

function decodeYamlBody(body: string): unknown {
  loadYaml(); // a missing `yaml` peer throws its own MODULE_NOT_FOUND, not a decode error
  try {
    return parseYamlData(body);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new EinhornProtocolError(
      'ERR_EINHORN_PROTOCOL_DECODE',
      `Expected a JSON or YAML message, but the line could not be decoded (${reason}); send one escaped JSON object per line.`,
      { cause: error, details: { reason } },
    );
  }
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
 * A JSON object that Psych would read the same is read with `JSON.parse`; `yaml` is loaded on first use.
 *
 * @param line - one line, with or without its trailing `\n` or `\r\n`.
 * @param options - see {@link DecodeOptions}.
 * @returns the decoded value (any JSON-like value; validate it with {@link schema!parseCommand} or {@link readRequest}).
 * @throws EinhornProtocolError `ERR_EINHORN_PROTOCOL_DECODE` when the body is not acceptable
 *   YAML; `ERR_EINHORN_PROTOCOL_LINE_TOO_LONG` when it exceeds `maxLineBytes`.
 * @throws EinhornError `ERR_EINHORN_INVALID_OPTIONS` when `maxLineBytes` is not a positive integer.
 * @throws Error `MODULE_NOT_FOUND` if the line is YAML and `yaml@2` is not installed.
 * @example
 * ```ts
 * decodeMessage('---%0Acommand: worker:ack%0Apid: 12345%0A\n'); // { command: 'worker:ack', pid: 12345 }
 * ```
 */
export function decodeMessage(line: string, options?: DecodeOptions): unknown {
  const body = lineBody(line, options);
  const fast = decodeJsonFast(body);
  return fast === NOT_FAST ? decodeYamlBody(body) : fast;
}

/**
 * Parses a YAML document written by Ruby's Psych with the Ruby classes einhorn's own client
 * permits (`Set`, `Symbol`, `Time`), such as the message of einhorn's `state` reply, into plain
 * data, without evaluating anything: `:name` Symbols become `name` (keys and values), a
 * `!ruby/object:Set` becomes the array of its members, a Time becomes an ISO 8601 UTC string
 * (milliseconds), Integer keys become their decimal strings; anchors and aliases are followed
 * with the limits of {@link decodeMessage}. Any other tag (`!ruby/object:Foo`, `!ruby/hash:...`)
 * is rejected. Unlike `decodeMessage`, `text` is the YAML itself (a reply's `message`), not an
 * escaped line.
 *
 * @param text - A YAML document, e.g. `---\n:state:\n  :children: ...`.
 * @returns The decoded value.
 * @throws EinhornProtocolError `ERR_EINHORN_PROTOCOL_DECODE` when it is not such a document.
 * @example
 * ```ts
 * decodeRubyYaml('---\n:signaled: !ruby/object:Set\n  hash:\n    USR2: true\n');
 * // { signaled: ['USR2'] }
 * ```
 */
export function decodeRubyYaml(text: string): unknown {
  loadYaml();
  try {
    return parseRubyYamlData(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new EinhornProtocolError(
      'ERR_EINHORN_PROTOCOL_DECODE',
      `Expected a YAML document with only plain data, Symbols, Sets and Times (like einhorn's state), but it could not be decoded (${reason}); check that the peer is an einhorn master.`,
      { cause: error, details: { reason } },
    );
  }
}
