import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EinhornProtocolError } from '../errors/errors.ts';
import { decodeMessage } from './decode.ts';
import { encodeMessage, encodeReply } from './encode.ts';
import { parseCommand, parseReply } from './parse-message.ts';

/** What a JSON round trip makes of a value, with unpaired surrogates as U+FFFD (what UTF-8 can carry). */
function jsonModel(value: unknown): unknown {
  const wellFormed = (text: string): string => text.replace(/[\uD800-\uDFFF]/gu, '\uFFFD');
  return JSON.parse(
    JSON.stringify(value, (_key, field: unknown) => {
      if (typeof field === 'string') return wellFormed(field);
      if (typeof field !== 'object' || field === null || Array.isArray(field)) return field;
      return Object.fromEntries(
        Object.entries(field).map(([key, inner]) => [wellFormed(key), inner]),
      );
    }),
  ) as unknown;
}

function decodeError(line: string, options?: { maxLineBytes?: number }): EinhornProtocolError {
  try {
    decodeMessage(line, options);
  } catch (error) {
    expect(error).toBeInstanceOf(EinhornProtocolError);
    return error as EinhornProtocolError;
  }
  throw new Error(`expected ${JSON.stringify(line)} to fail`);
}

const awkwardText = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme' }),
  fc.string({
    unit: fc.constantFrom(
      '%',
      '%0A',
      '%25',
      '\n',
      '\r',
      '\\',
      '"',
      "'",
      ':',
      '#',
      '-',
      ' ',
      '\t',
      '\u0085',
      '\u2028',
      '\u007f',
      'y',
      '1',
      'e',
      '.',
    ),
  }),
);
const messages = fc.dictionary(
  awkwardText,
  fc.jsonValue({ stringUnit: fc.constantFrom('binary', 'grapheme'), maxDepth: 3 }),
);

describe('encodeMessage', () => {
  it('check 22: writes a worker ACK as compact JSON ending in LF', () => {
    expect(encodeMessage({ command: 'worker:ack', pid: 12345 })).toBe(
      '{"command":"worker:ack","pid":12345}\n',
    );
  });

  it('check 55: carries a newline as the JSON escape \\n and % as %25', () => {
    expect(encodeMessage({ message: 'line1\nline2 100%', request_id: 1 })).toBe(
      '{"message":"line1\\nline2 100%25","request_id":1}\n',
    );
  });

  it('writes numbers Psych would read as strings with a dot (1e+21 → 1.0e+21), and leaves strings alone', () => {
    expect(encodeMessage({ a: 1e21, b: 5e-7, c: -2.5e-8, d: 1.5e300, e: 'x1e+21', f: 12 })).toBe(
      '{"a":1.0e+21,"b":5.0e-7,"c":-2.5e-8,"d":1.5e+300,"e":"x1e+21","f":12}\n',
    );
  });

  it('escapes characters Psych refuses or folds (DEL, C1, NEL, LS, PS, U+FFFE/FFFF) as \\uXXXX', () => {
    expect(encodeMessage({ a: '\u007f\u0085\u0099\u2028\u2029\ufffe\uffff' })).toBe(
      '{"a":"\\u007f\\u0085\\u0099\\u2028\\u2029\\ufffe\\uffff"}\n',
    );
    expect(encodeMessage({ '\u2028': 1 })).toBe('{"\\u2028":1}\n');
  });

  it('replaces unpaired surrogates with U+FFFD, in values and keys', () => {
    expect(encodeMessage({ a: 'x\uD800y', ['k\uDC00']: 1 })).toBe('{"a":"x\uFFFDy","k\uFFFD":1}\n');
  });

  it('throws ERR_EINHORN_PROTOCOL_SCHEMA with a cause for what JSON cannot carry', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    for (const message of [{ big: 1n }, cyclic]) {
      expect(() => encodeMessage(message)).toThrow(
        expect.objectContaining({
          code: 'ERR_EINHORN_PROTOCOL_SCHEMA',
          cause: expect.any(TypeError) as unknown,
        }),
      );
    }
    expect(() => encodeMessage([1] as unknown as Record<string, unknown>)).toThrow(
      expect.objectContaining({ code: 'ERR_EINHORN_PROTOCOL_SCHEMA' }),
    );
    expect(() => encodeMessage(null as unknown as Record<string, unknown>)).toThrow(
      EinhornProtocolError,
    );
  });

  it('round-trips arbitrary messages through decodeMessage (property)', () => {
    fc.assert(
      fc.property(messages, (message) => {
        const line = encodeMessage(message);
        expect(line.endsWith('\n')).toBe(true);
        expect(line.slice(0, -1)).not.toContain('\n');
        expect(decodeMessage(line)).toEqual(jsonModel(message));
      }),
      { numRuns: 300 },
    );
  });
});

describe('encodeReply', () => {
  it('check 11: {message, request_id} in einhorn key order, no wait', () => {
    expect(encodeReply('Incrementing number of workers from 1 -> 2', 7)).toBe(
      '{"message":"Incrementing number of workers from 1 -> 2","request_id":7}\n',
    );
  });

  it('check 12: old-style reply without an id has only message, even if wait was asked', () => {
    expect(encodeReply('Verbosity set to 1')).toBe('{"message":"Verbosity set to 1"}\n');
    expect(encodeReply('Upgrading', undefined, { wait: true })).toBe('{"message":"Upgrading"}\n');
  });

  it('check 34: streamed replies carry wait: true after request_id', () => {
    expect(encodeReply('Upgrading smoothly, as commanded', 1, { wait: true })).toBe(
      '{"message":"Upgrading smoothly, as commanded","request_id":1,"wait":true}\n',
    );
    expect(encodeReply('Upgrade done', 1, { wait: false })).toBe(
      '{"message":"Upgrade done","request_id":1}\n',
    );
  });

  it('check 19, check 21: re-escapes % in the message', () => {
    expect(encodeReply('Unrecognized command: "stat%65"', 6)).toBe(
      '{"message":"Unrecognized command: \\"stat%2565\\"","request_id":6}\n',
    );
    expect(encodeReply('Welcome, a%b!', 10)).toContain('a%25b');
  });

  it('round-trips through parseReply (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme' }),
        fc.option(fc.oneof(fc.string(), fc.integer(), fc.boolean()), { nil: undefined }),
        fc.boolean(),
        (message, id, wait) => {
          const expected =
            id === undefined
              ? { message }
              : wait
                ? { message, request_id: id, wait: true }
                : { message, request_id: id };
          expect(parseReply(encodeReply(message, id, { wait }))).toEqual(expected);
        },
      ),
    );
  });
});

describe('decodeMessage', () => {
  it('check 23: reads the Ruby client ACK (escaped block YAML)', () => {
    expect(decodeMessage('---%0Acommand: worker:ack%0Apid: 12345%0A\n')).toEqual({
      command: 'worker:ack',
      pid: 12345,
    });
  });

  it('check 53: reads einhornsh requests', () => {
    expect(decodeMessage('---%0Aid: 1%0Acommand: inc%0Aargs: []%0A\n')).toEqual({
      id: 1,
      command: 'inc',
      args: [],
    });
    expect(decodeMessage("---%0Aid: 1%0Acommand: set_workers%0Aargs:%0A- '3'%0A")).toEqual({
      id: 1,
      command: 'set_workers',
      args: ['3'],
    });
  });

  it('docs/reference/protocol.md, "Replies": reads every observed master reply', () => {
    expect(
      decodeMessage(
        '---%0Amessage: Incrementing number of workers from 2 -> 3%0Arequest_id: 1%0A\n',
      ),
    ).toEqual({ message: 'Incrementing number of workers from 2 -> 3', request_id: 1 });
    expect(decodeMessage("---%0Amessage: ''%0Arequest_id: 1%0A\n")).toEqual({
      message: '',
      request_id: 1,
    });
    expect(
      decodeMessage(
        "---%0Amessage: 'Invalid count: ''abc''. Must be an integer in [1,1000).'%0Arequest_id: 1%0A\n",
      ),
    ).toEqual({ message: "Invalid count: 'abc'. Must be an integer in [1,1000).", request_id: 1 });
    expect(decodeMessage('---%0Amessage: "\\n"%0Arequest_id: 1%0A\n')).toEqual({
      message: '\n',
      request_id: 1,
    });
    expect(
      decodeMessage(
        '---%0Amessage: |%0A  Welcome, probeuser! You are speaking to Einhorn Master Process 17171.%0A  This is Einhorn 0.8.2.%0A\n',
      ),
    ).toEqual({
      message:
        'Welcome, probeuser! You are speaking to Einhorn Master Process 17171.\nThis is Einhorn 0.8.2.\n',
    });
  });

  it('tolerates a trailing CR (docs/reference/protocol.md, "Wire format") and a missing LF', () => {
    expect(decodeMessage('{"command":"louder"}\r\n')).toEqual({ command: 'louder' });
    expect(decodeMessage('{"command":"louder"}\r')).toEqual({ command: 'louder' });
    expect(decodeMessage('{"command":"louder"}')).toEqual({ command: 'louder' });
  });

  it('check 14: decodes "", 42 and rejects garbage: [', () => {
    expect(decodeMessage('\n')).toBeNull();
    expect(decodeMessage('42\n')).toBe(42);
    expect(decodeError('garbage: [\n').code).toBe('ERR_EINHORN_PROTOCOL_DECODE');
  });

  it('docs/reference/protocol.md, "Wire format": YAML 1.1 as Psych reads it — 1e3 is a string, yes/no/on/off are booleans', () => {
    expect(decodeMessage('{"a": 1e3, "b": yes, "c": no, "d": on, "e": off, "f": y}')).toEqual({
      a: '1e3',
      b: true,
      c: false,
      d: true,
      e: false,
      f: 'y',
    });
  });

  it('P3 / check 52: a YAML date or timestamp stays a string instead of killing anything', () => {
    expect(decodeMessage('{"command":"help","id":1,"x":2020-01-01}\n')).toEqual({
      command: 'help',
      id: 1,
      x: '2020-01-01',
    });
    expect(decodeMessage('{"t": 2001-12-14t21:59:43.10-05:00}')).toEqual({
      t: '2001-12-14t21:59:43.10-05:00',
    });
  });

  it('P3 / check 52: a !ruby/object tag is a decode error, never instantiated', () => {
    const error = decodeError('--- !ruby/object:Object {}\n');
    expect(error.code).toBe('ERR_EINHORN_PROTOCOL_DECODE');
    expect(error.message).toMatch(
      /^Expected a JSON or YAML message, but the line could not be decoded \(explicit tag "!ruby\/object:Object" is not allowed\); .*\.$/,
    );
    expect(error.cause).toBeInstanceOf(Error);
    expect(error.details).toEqual({ reason: 'explicit tag "!ruby/object:Object" is not allowed' });
  });

  it('P3 / check 52: a plain alias line decodes, a recursive one is refused', () => {
    expect(decodeMessage('{"a": &x 1, "command": "help", "b": *x}')).toEqual({
      a: 1,
      command: 'help',
      b: 1,
    });
    expect(decodeError('a: &x [*x]').code).toBe('ERR_EINHORN_PROTOCOL_DECODE');
  });

  it('surrogate pairs: escaped pairs decode to the character (Psych refuses them); unpaired ones are errors', () => {
    expect(decodeMessage('{"x":"\\ud83d\\ude00"}')).toEqual({ x: '😀' });
    expect(decodeError('{"x":"\\ud83d"}').details?.['reason']).toMatch(/surrogate/);
  });

  it('P19 / check 52: refuses lines over maxLineBytes (default 1 MiB) with ERR_EINHORN_PROTOCOL_LINE_TOO_LONG', () => {
    const big = `{"a":"${'x'.repeat(1024 * 1024)}"}`;
    const error = decodeError(big);
    expect(error.code).toBe('ERR_EINHORN_PROTOCOL_LINE_TOO_LONG');
    expect(error.details).toEqual({ maxLineBytes: 1048576, lineBytes: big.length });
    expect(decodeMessage('{"a":"é"}', { maxLineBytes: 10 })).toEqual({ a: 'é' });
    expect(decodeError('{"a":"é"}', { maxLineBytes: 9 }).code).toBe(
      'ERR_EINHORN_PROTOCOL_LINE_TOO_LONG',
    );
    expect(decodeError('{"a":"xx"}\r\n', { maxLineBytes: 9 }).code).toBe(
      'ERR_EINHORN_PROTOCOL_LINE_TOO_LONG',
    );
    expect(decodeMessage('{"a":"x"}\r\n', { maxLineBytes: 9 })).toEqual({ a: 'x' });
  });

  it.each([0, -1, 1.5, Number.NaN])(
    'rejects maxLineBytes %s with ERR_EINHORN_INVALID_OPTIONS and a TypeError listing the issue',
    (maxLineBytes) => {
      expect(() => decodeMessage('{}', { maxLineBytes })).toThrow(
        expect.objectContaining({
          code: 'ERR_EINHORN_INVALID_OPTIONS',
          message: expect.stringMatching(
            /^Expected decodeMessage\(\) options to have maxLineBytes as an integer in \[1, \d+\], but found /,
          ) as unknown,
          cause: expect.any(TypeError) as unknown,
          details: {
            option: 'maxLineBytes',
            found: String(maxLineBytes),
            issues: [
              {
                path: 'maxLineBytes',
                message: `expected an integer in [1, ${Number.MAX_SAFE_INTEGER}], found ${String(maxLineBytes)}`,
              },
            ],
          },
        }),
      );
    },
  );

  it('refuses a raw LF inside the line (the caller must frame lines first)', () => {
    expect(decodeError('{"a":\n1}').code).toBe('ERR_EINHORN_PROTOCOL_DECODE');
  });

  it('decode(escape(YAML text)) equals decode of the same text given as one escaped line (property)', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ unit: 'grapheme-ascii' }), fc.string({ unit: 'grapheme' })),
        (value) => {
          const block = Object.entries(value)
            .map(([key, field]) => `${JSON.stringify(key)}: ${JSON.stringify(field)}`)
            .join('\n');
          const line = `---%0A${block.replaceAll('%', '%25').replaceAll('\n', '%0A')}%0A`;
          expect(decodeMessage(line) ?? {}).toEqual(jsonModel(value));
        },
      ),
    );
  });
});

describe('parseCommand / parseReply', () => {
  it('parses a command and drops unknown keys (einhorn ignores them)', () => {
    expect(parseCommand('{"command":"worker:ack","pid":123,"extra":{"x":1}}\n')).toEqual({
      command: 'worker:ack',
      pid: 123,
    });
  });

  it('check 24: a string pid is a schema error with the zod error as cause', () => {
    let caught: unknown;
    try {
      parseCommand('{"command":"worker:ack","pid":"123"}');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(EinhornProtocolError);
    expect(caught).toMatchObject({
      code: 'ERR_EINHORN_PROTOCOL_SCHEMA',
      details: { issues: [{ path: 'pid' }] },
    });
    expect((caught as EinhornProtocolError).cause).toHaveProperty('issues');
  });

  it('passes decode errors through and rejects unknown commands', () => {
    expect(() => parseCommand('garbage: [')).toThrow(
      expect.objectContaining({ code: 'ERR_EINHORN_PROTOCOL_DECODE' }),
    );
    expect(() => parseCommand('{"command":"bogus"}')).toThrow(
      expect.objectContaining({ code: 'ERR_EINHORN_PROTOCOL_SCHEMA' }),
    );
    expect(() => parseCommand('{"command":"inc"}', { maxLineBytes: 5 })).toThrow(
      expect.objectContaining({ code: 'ERR_EINHORN_PROTOCOL_LINE_TOO_LONG' }),
    );
  });

  it('parseReply accepts compact JSON and Psych YAML replies, and refuses non-replies', () => {
    expect(parseReply('{"message":"done","request_id":1}\n')).toEqual({
      message: 'done',
      request_id: 1,
    });
    expect(parseReply('---%0Amessage: Upgrade done%0Arequest_id: abc%0Await: true%0A')).toEqual({
      message: 'Upgrade done',
      request_id: 'abc',
      wait: true,
    });
    expect(parseReply('{"message":"x","request_id":null}')).toEqual({ message: 'x' });
    expect(() => parseReply('{"msg":"x"}')).toThrow(
      expect.objectContaining({ code: 'ERR_EINHORN_PROTOCOL_SCHEMA' }),
    );
    expect(() => parseReply('42')).toThrow(
      expect.objectContaining({ code: 'ERR_EINHORN_PROTOCOL_SCHEMA' }),
    );
  });
});
