import { describe, expect, it } from 'vitest';
import { encodeMessage } from './encode.ts';
import { workerAck, workerPing } from './commands.ts';
import { parseCommand } from './parse-message.ts';

describe('workerAck / workerPing', () => {
  it('check 22: builds the exact ACK bytes a non-Ruby worker sends (docs/reference/protocol.md, "ACK")', () => {
    expect(workerAck(12345)).toEqual({ command: 'worker:ack', pid: 12345 });
    expect(encodeMessage(workerAck(12345))).toBe('{"command":"worker:ack","pid":12345}\n');
  });

  it('check 27: builds the ping line', () => {
    expect(encodeMessage(workerPing(7, 'req-42'))).toBe(
      '{"command":"worker:ping","pid":7,"request_id":"req-42"}\n',
    );
    expect(parseCommand(encodeMessage(workerPing(7, '100%\nx')))).toEqual({
      command: 'worker:ping',
      pid: 7,
      request_id: '100%\nx',
    });
  });

  it.each([0, -1, 1.5, Number.NaN, 2 ** 53, '123', undefined])(
    'refuses pid %s with ERR_EINHORN_INVALID_OPTIONS',
    (value) => {
      const pid = value as number;
      expect(() => workerAck(pid)).toThrow(
        expect.objectContaining({ code: 'ERR_EINHORN_INVALID_OPTIONS' }),
      );
      expect(() => workerPing(pid, 'r')).toThrow(
        expect.objectContaining({ code: 'ERR_EINHORN_INVALID_OPTIONS' }),
      );
    },
  );

  it('reports a bad pid in the one options-error shape, with a hint to pass process.pid', () => {
    expect(() => workerAck(-1)).toThrow(
      expect.objectContaining({
        message: `Expected workerAck() arguments to have pid as an integer in [1, ${Number.MAX_SAFE_INTEGER}], but found -1; pass process.pid.`,
        cause: expect.any(TypeError) as unknown,
        details: {
          option: 'pid',
          found: '-1',
          issues: [
            {
              path: 'pid',
              message: `expected an integer in [1, ${Number.MAX_SAFE_INTEGER}], found -1`,
            },
          ],
        },
      }),
    );
    expect(() => workerPing(undefined as unknown as number, 'r')).toThrow(
      /^Expected workerPing\(\) arguments to have pid as an integer in \[1, \d+\], but found undefined; pass process\.pid\.$/,
    );
  });
});
