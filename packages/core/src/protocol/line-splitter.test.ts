import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EinhornProtocolError } from '../errors/errors.ts';
import { createLineSplitter } from './line-splitter.ts';

function caught(run: () => unknown): EinhornProtocolError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(EinhornProtocolError);
    return error as EinhornProtocolError;
  }
  throw new Error('expected a throw');
}

describe('createLineSplitter', () => {
  it('splits on LF, keeps CR, buffers the partial tail (check 18)', () => {
    const splitter = createLineSplitter();
    expect(splitter.push('a\nb\r\n\nc')).toEqual(['a', 'b\r', '']);
    expect(splitter.bufferedBytes).toBe(1);
    expect(splitter.push('d')).toEqual([]);
    expect(splitter.push('\n')).toEqual(['cd']);
    expect(splitter.bufferedBytes).toBe(0);
    expect(splitter.flush()).toBeUndefined();
  });

  it('flush() returns the trailing partial line once', () => {
    const splitter = createLineSplitter();
    splitter.push(Buffer.from('x\n{"command":"lou'));
    expect(splitter.flush()).toBe('{"command":"lou');
    expect(splitter.flush()).toBeUndefined();
    expect(splitter.push('a\n')).toEqual(['a']);
  });

  it('decodes UTF-8 only once a line is complete, so characters may straddle chunks', () => {
    const bytes = Buffer.from('é😀\n', 'utf8');
    const splitter = createLineSplitter();
    const lines = [...bytes].flatMap((byte) => splitter.push(Uint8Array.of(byte)));
    expect(lines).toEqual(['é😀']);
    expect(createLineSplitter().push(Uint8Array.of(0xff, 0x0a))).toEqual(['\uFFFD']);
  });

  it('respects Uint8Array views and copies what it keeps (the caller may reuse its buffer)', () => {
    const backing = Buffer.from('XXab\ncdYY');
    const splitter = createLineSplitter();
    expect(splitter.push(backing.subarray(2, 7))).toEqual(['ab']);
    backing.fill(0x21);
    expect(splitter.push('\n')).toEqual(['cd']);
  });

  it('P19: refuses an incomplete line as soon as it passes maxLineBytes, without waiting for its LF', () => {
    const splitter = createLineSplitter({ maxLineBytes: 8 });
    expect(splitter.push('12345678')).toEqual([]);
    const error = caught(() => splitter.push('9'));
    expect(error.code).toBe('ERR_EINHORN_PROTOCOL_LINE_TOO_LONG');
    expect(error.details).toEqual({ maxLineBytes: 8, lineBytes: 9, completeLines: [] });
    expect(error.message).toBe(
      'Expected lines of at most 8 bytes, but one reached 9 bytes; close the connection or raise maxLineBytes.',
    );
  });

  it('refuses a complete over-long line, and hands back the lines framed before it', () => {
    const splitter = createLineSplitter({ maxLineBytes: 4 });
    const error = caught(() => splitter.push('ok\nfine\ntoo long\nnext\n'));
    expect(error.details).toMatchObject({ lineBytes: 8, completeLines: ['ok', 'fine'] });
  });

  it('stays failed after a refusal: every later push throws the same error and nothing is buffered', () => {
    const splitter = createLineSplitter({ maxLineBytes: 2 });
    const first = caught(() => splitter.push('abc'));
    expect(caught(() => splitter.push('\n'))).toBe(first);
    expect(splitter.bufferedBytes).toBe(0);
    expect(splitter.flush()).toBeUndefined();
  });

  it('counts bytes, not UTF-16 units, and allows exactly maxLineBytes', () => {
    expect(createLineSplitter({ maxLineBytes: 4 }).push('😀\n')).toEqual(['😀']);
    expect(caught(() => createLineSplitter({ maxLineBytes: 3 }).push('😀')).code).toBe(
      'ERR_EINHORN_PROTOCOL_LINE_TOO_LONG',
    );
  });

  it('defaults to 1 MiB', () => {
    const splitter = createLineSplitter();
    expect(splitter.push(Buffer.alloc(1024 * 1024, 0x61))).toEqual([]);
    expect(caught(() => splitter.push('a')).details).toMatchObject({ maxLineBytes: 1048576 });
  });

  it.each([0, -5, 2.5, Number.NaN])('rejects maxLineBytes %s', (maxLineBytes) => {
    expect(() => createLineSplitter({ maxLineBytes })).toThrow(
      expect.objectContaining({ code: 'ERR_EINHORN_INVALID_OPTIONS' }),
    );
  });

  it('gives the same lines whatever the chunk boundaries (property)', () => {
    const content = fc
      .array(
        fc.oneof(fc.string({ unit: 'binary' }), fc.constantFrom('\n', '\r\n', '%0A', 'é', '😀')),
        { maxLength: 30 },
      )
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(
        content,
        fc.array(fc.nat(), { maxLength: 20 }),
        fc.boolean(),
        (text, cuts, asBytes) => {
          const bytes = Buffer.from(text, 'utf8');
          const positions = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort(
            (a, b) => a - b,
          );
          const bounds = [0, ...positions, bytes.length];
          const splitter = createLineSplitter();
          const lines: string[] = [];
          for (let i = 1; i < bounds.length; i++) {
            const chunk = bytes.subarray(bounds[i - 1], bounds[i]);
            const ascii = chunk.every((byte) => byte < 0x80);
            lines.push(...splitter.push(!asBytes && ascii ? chunk.toString('ascii') : chunk));
          }
          const tail = splitter.flush();
          const whole = bytes.toString('utf8').split('\n');
          const expectedTail = whole.pop();
          expect(lines).toEqual(whole);
          expect(tail).toBe(expectedTail === '' ? undefined : expectedTail);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('stays linear: a 4 MiB line fed byte by byte, and 200k short lines in one chunk', () => {
    const splitter = createLineSplitter({ maxLineBytes: 8 * 1024 * 1024 });
    const chunk = Buffer.alloc(4096, 0x61);
    for (let i = 0; i < 1024; i++) splitter.push(chunk);
    expect(splitter.bufferedBytes).toBe(4 * 1024 * 1024);
    expect(splitter.push('\n')[0]).toHaveLength(4 * 1024 * 1024);
    const byteByByte = createLineSplitter();
    const one = Buffer.from('b');
    for (let i = 0; i < 100_000; i++) byteByByte.push(one);
    expect(byteByByte.push('\n')[0]).toHaveLength(100_000);
    expect(createLineSplitter().push('{"command":"louder"}\n'.repeat(200_000))).toHaveLength(
      200_000,
    );
  });
});
