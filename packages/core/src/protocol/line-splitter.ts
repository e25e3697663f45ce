import { EinhornProtocolError } from '../errors/errors.ts';
import { resolveMaxLineBytes } from '../internal/options.ts';
import type { LineSplitter, LineSplitterOptions } from '../types.ts';

const LF = 0x0a;

function toBytes(chunk: string | Uint8Array): Buffer {
  return typeof chunk === 'string'
    ? Buffer.from(chunk, 'utf8')
    : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/**
 * Frames a byte stream into lines on LF (0x0A), for reading a command-socket connection.
 *
 * Each byte is looked at once, so the cost is linear in the input (einhorn re-scans its
 * whole buffer on every read, docs/reference/protocol.md, "Wire format"). Lines are decoded as UTF-8 only once complete,
 * so multi-byte characters may be split across chunks; invalid UTF-8 becomes U+FFFD.
 * A line longer than `maxLineBytes` is refused as soon as the limit is crossed, without
 * waiting for its end (PROTOCOL P19).
 *
 * @param options - see {@link LineSplitterOptions}.
 * @returns a splitter; `push()` throws `ERR_EINHORN_PROTOCOL_LINE_TOO_LONG` once a line is
 *   too long, with the lines completed earlier in the same chunk in `details.completeLines`.
 *   After that it stays failed (every `push()` throws the same error) and the caller should
 *   close the connection.
 * @throws EinhornError `ERR_EINHORN_INVALID_OPTIONS` when `maxLineBytes` is not a positive integer.
 * @example
 * ```ts
 * const splitter = createLineSplitter();
 * socket.on('data', (chunk) => {
 *   try {
 *     for (const line of splitter.push(chunk)) handle(readRequest(line));
 *   } catch {
 *     socket.destroy();
 *   }
 * });
 * ```
 */
export function createLineSplitter(options?: LineSplitterOptions): LineSplitter {
  const maxLineBytes = resolveMaxLineBytes(options, 'createLineSplitter() options');
  let parts: Buffer[] = [];
  let buffered = 0;
  let failure: EinhornProtocolError | undefined;

  const takeLine = (tail: Buffer): string => {
    const line =
      buffered === 0 ? tail.toString('utf8') : Buffer.concat([...parts, tail]).toString('utf8');
    parts = [];
    buffered = 0;
    return line;
  };

  const fail = (lineBytes: number, completeLines: string[]): never => {
    parts = [];
    buffered = 0;
    failure = new EinhornProtocolError(
      'ERR_EINHORN_PROTOCOL_LINE_TOO_LONG',
      `Expected lines of at most ${maxLineBytes} bytes, but one reached ${lineBytes} bytes; close the connection or raise maxLineBytes.`,
      { details: { maxLineBytes, lineBytes, completeLines } },
    );
    throw failure;
  };

  return {
    push(chunk) {
      if (failure !== undefined) throw failure;
      const bytes = toBytes(chunk);
      const lines: string[] = [];
      let start = 0;
      for (let end = bytes.indexOf(LF, start); end !== -1; end = bytes.indexOf(LF, start)) {
        const lineBytes = buffered + end - start;
        if (lineBytes > maxLineBytes) fail(lineBytes, lines);
        lines.push(takeLine(bytes.subarray(start, end)));
        start = end + 1;
      }
      const rest = bytes.length - start;
      if (rest > 0) {
        if (buffered + rest > maxLineBytes) fail(buffered + rest, lines);
        // Copied because the caller may reuse its buffer after push() returns.
        parts.push(Buffer.from(bytes.subarray(start)));
        buffered += rest;
      }
      return lines;
    },
    flush() {
      if (buffered === 0) return undefined;
      return takeLine(Buffer.alloc(0));
    },
    get bufferedBytes() {
      return buffered;
    },
  };
}
