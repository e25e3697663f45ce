import { describe, expect, it } from 'vitest';
import { EinhornProtocolError } from '../errors/errors.ts';
import { encodeMessage } from './encode.ts';
import { createLineSplitter } from './line-splitter.ts';
import { readRequest } from './read-request.ts';

describe('readRequest (docs/reference/protocol.md, "Commands" pre-dispatch classification)', () => {
  it('check 11: a command with a numeric id', () => {
    expect(readRequest('{"command":"inc","id":7}\n')).toEqual({
      kind: 'command',
      command: { command: 'inc', id: 7 },
      id: 7,
    });
  });

  it('check 12: no id means an old-style request', () => {
    expect(readRequest('{"command":"louder"}\n')).toEqual({
      kind: 'command',
      command: { command: 'louder' },
    });
  });

  it('check 13: id: null counts as absent', () => {
    const result = readRequest('{"command":"louder","id":null}\n');
    expect(result).toEqual({ kind: 'command', command: { command: 'louder' } });
    expect('id' in result).toBe(false);
  });

  it.each([
    '\n',
    '42\n',
    'garbage: [\n',
    '[1,2]\n',
    '"text"\n',
    'null\n',
    '--- !ruby/object:Object {}\n',
    '{"x":"\\ud800"}',
  ])('check 14 / check 52: %j is unparseable, never with an id', (line) => {
    expect(readRequest(line)).toEqual({ kind: 'unparseable' });
  });

  it('check 15: a mapping without command', () => {
    expect(readRequest('{"foo":1,"id":9}\n')).toEqual({ kind: 'no-command', id: 9 });
    expect(readRequest('{"command":null,"id":"a"}')).toEqual({ kind: 'no-command', id: 'a' });
    expect(readRequest('{"command":false}')).toEqual({ kind: 'no-command' });
  });

  it('check 16: an unknown command name', () => {
    expect(readRequest('{"command":"bogus","id":1}\n')).toEqual({
      kind: 'unknown-command',
      name: 'bogus',
      id: 1,
    });
    expect(readRequest('{"command":42}')).toEqual({ kind: 'unknown-command', name: '42' });
    expect(readRequest('{"command":""}')).toEqual({ kind: 'unknown-command', name: '' });
    expect(readRequest('{"command":["inc"]}')).toEqual({
      kind: 'unknown-command',
      name: '["inc"]',
    });
    expect(readRequest('{"command":"toString"}')).toEqual({
      kind: 'unknown-command',
      name: 'toString',
    });
  });

  it('check 19: stat%65 is an unknown command named literally stat%65', () => {
    expect(readRequest('{"command":"stat%65","id":6}\n')).toEqual({
      kind: 'unknown-command',
      name: 'stat%65',
      id: 6,
    });
  });

  it('check 20: escaped block YAML', () => {
    expect(readRequest('---%0Acommand: quieter%0Aid: 5%0A\n')).toEqual({
      kind: 'command',
      command: { command: 'quieter', id: 5 },
      id: 5,
    });
  });

  it('check 21: ehlo with a%25b decodes to user a%b', () => {
    expect(readRequest('{"command":"ehlo","user":"a%25b","id":10}\n')).toEqual({
      kind: 'command',
      command: { command: 'ehlo', user: 'a%b', id: 10 },
      id: 10,
    });
  });

  it('check 22 / check 23: both ACK forms', () => {
    const expected = { kind: 'command', command: { command: 'worker:ack', pid: 12345 } };
    expect(readRequest('{"command":"worker:ack","pid":12345}\n')).toEqual(expected);
    expect(readRequest('---%0Acommand: worker:ack%0Apid: 12345%0A\n')).toEqual(expected);
  });

  it('check 24: a string pid or a missing pid is invalid, with the schema error and the raw mapping', () => {
    for (const line of [
      '{"command":"worker:ack","pid":"123"}',
      '{"command":"worker:ack"}',
      '{"command":"worker:ack","pid":null}',
      '{"command":"worker:ack","pid":1.5}',
    ]) {
      const result = readRequest(line);
      expect(result.kind, line).toBe('invalid');
      if (result.kind !== 'invalid') return;
      expect(result.name).toBe('worker:ack');
      expect(result.error).toBeInstanceOf(EinhornProtocolError);
      expect(result.error.code).toBe('ERR_EINHORN_PROTOCOL_SCHEMA');
      expect(result.raw['command']).toBe('worker:ack');
    }
  });

  it('P10: keeps the einhorn-node `confirm` flag on worker:ack and refuses a non-boolean one', () => {
    expect(readRequest('{"command":"worker:ack","pid":12,"confirm":true}')).toEqual({
      kind: 'command',
      command: { command: 'worker:ack', pid: 12, confirm: true },
    });
    expect(readRequest('{"command":"worker:ack","pid":12,"confirm":"yes"}').kind).toBe('invalid');
  });

  it('check 27: a worker ping', () => {
    expect(readRequest('{"command":"worker:ping","pid":7,"request_id":"req-42"}\n')).toEqual({
      kind: 'command',
      command: { command: 'worker:ping', pid: 7, request_id: 'req-42' },
    });
  });

  it('check 42 / 44 / 45: commands with args; bad args are invalid, missing args are left to the handler', () => {
    expect(readRequest("---%0Aid: 1%0Acommand: set_workers%0Aargs:%0A- '3'%0A")).toMatchObject({
      kind: 'command',
      command: { command: 'set_workers', args: ['3'] },
    });
    expect(readRequest('{"command":"signal","args":["sigusr1"],"id":1}')).toMatchObject({
      kind: 'command',
      command: { args: ['sigusr1'] },
    });
    expect(readRequest('{"command":"die","args":[]}')).toMatchObject({
      kind: 'command',
      command: { command: 'die', args: [] },
    });
    expect(readRequest('{"command":"die"}')).toEqual({
      kind: 'command',
      command: { command: 'die' },
    });
    expect(readRequest('{"command":"set_workers","args":[3],"id":2}')).toMatchObject({
      kind: 'invalid',
      name: 'set_workers',
      id: 2,
    });
    expect(readRequest('{"command":"config","args":"x"}')).toMatchObject({
      kind: 'invalid',
      name: 'config',
    });
  });

  it('check 53 / 54: einhornsh requests (with args: [] on every command, and ehlo without id)', () => {
    expect(readRequest('---%0Aid: 2%0Acommand: state%0Aargs: []%0A\n')).toEqual({
      kind: 'command',
      command: { command: 'state', id: 2 },
      id: 2,
    });
    expect(readRequest('---%0Acommand: ehlo%0Auser: alice%0A\n')).toEqual({
      kind: 'command',
      command: { command: 'ehlo', user: 'alice' },
    });
    expect(readRequest('---%0Acommand: ehlo%0Auser:%0A')).toEqual({
      kind: 'command',
      command: { command: 'ehlo' },
    });
  });

  it('reports scalar ids of every kind and ignores non-scalar ones', () => {
    expect(readRequest('{"command":"x","id":"abc"}')).toMatchObject({ id: 'abc' });
    expect(readRequest('{"command":"x","id":true}')).toMatchObject({ id: true });
    expect(readRequest('{"command":"x","id":1.5}')).toMatchObject({ id: 1.5 });
    expect(readRequest('{"command":"x","id":[1]}')).toEqual({ kind: 'unknown-command', name: 'x' });
    expect(readRequest('{"command":"x","id":.inf}')).toEqual({
      kind: 'unknown-command',
      name: 'x',
    });
    expect(readRequest('{"command":"inc","id":{"a":1}}')).toMatchObject({
      kind: 'invalid',
      name: 'inc',
    });
  });

  it('P3 table: every line that kills einhorn is classified without throwing', () => {
    expect(readRequest('{"command":"help","id":1,"x":2020-01-01}')).toEqual({
      kind: 'command',
      command: { command: 'help', id: 1 },
      id: 1,
    });
    expect(readRequest('--- !ruby/object:Object {}')).toEqual({ kind: 'unparseable' });
    expect(readRequest('{"a": &x 1, "b": *x, "command": "help"}')).toEqual({
      kind: 'command',
      command: { command: 'help' },
    });
    expect(readRequest('{"command":"help","t":2001-12-14t21:59:43.10-05:00}')).toEqual({
      kind: 'command',
      command: { command: 'help' },
    });
  });

  it('check 52: an over-long line is unparseable', () => {
    expect(readRequest(`{"command":"help","x":"${'y'.repeat(64)}"}`, { maxLineBytes: 32 })).toEqual(
      { kind: 'unparseable' },
    );
  });

  it('check 17 / check 18: pipelined requests framed by the splitter keep their order; a line without LF waits', () => {
    const splitter = createLineSplitter();
    const lines = splitter.push(
      '{"command":"help","id":1}\n{"command":"louder","id":2}\n{"command":"quieter","id":3}\n{"command":"louder","id":4}',
    );
    expect(
      lines
        .map((line) => readRequest(line))
        .map((result) => (result.kind === 'command' ? result.id : result.kind)),
    ).toEqual([1, 2, 3]);
    expect(splitter.push('\n').map((line) => readRequest(line))).toEqual([
      { kind: 'command', command: { command: 'louder', id: 4 }, id: 4 },
    ]);
  });

  it('classifies every encoded command as itself', () => {
    const commands = [
      { command: 'worker:ack', pid: 1 },
      { command: 'upgrade_fleet', id: 'u' },
      { command: 'signal', args: ['HUP', 'USR1'], id: 3 },
      { command: 'config', args: ['{number: 3}'] },
    ] as const;
    for (const command of commands)
      expect(readRequest(encodeMessage(command))).toMatchObject({ kind: 'command', command });
  });

  it("check 24: the schema error names the first bad field in zod's words and lists every issue", () => {
    const result = readRequest('{"command":"worker:ack","pid":"123","confirm":1}');
    expect(result.kind).toBe('invalid');
    if (result.kind !== 'invalid') return;
    expect(result.error.message).toBe(
      'Expected a valid "worker:ack" command, but the message does not match at "pid" (Invalid input: expected number, received string); see the protocol reference for its fields.',
    );
    expect(result.error.details).toEqual({
      expected: 'a valid "worker:ack" command',
      issues: [
        { path: 'pid', message: 'Invalid input: expected number, received string' },
        { path: 'confirm', message: 'Invalid input: expected boolean, received number' },
      ],
    });
    const missing = readRequest('{"command":"worker:ping","pid":0}');
    expect(missing).toMatchObject({
      kind: 'invalid',
      error: {
        details: {
          issues: [
            { path: 'pid', message: 'Too small: expected number to be >0' },
            { path: 'request_id', message: 'Invalid input: expected string, received undefined' },
          ],
        },
      },
    });
    const args = readRequest('{"command":"signal","args":["HUP",3],"id":{"a":1}}');
    expect(args).toMatchObject({
      kind: 'invalid',
      error: {
        message: expect.stringContaining('at "id" (Invalid input)') as unknown,
        details: {
          issues: [
            { path: 'id', message: 'Invalid input' },
            { path: 'args.1', message: 'Invalid input: expected string, received number' },
          ],
        },
      },
    });
  });

  it('reads JSON and YAML lines alike: a YAML-only spelling still decodes (check 23)', () => {
    expect(readRequest('{"command":"worker:ack","pid":12345,"x":1e3}\n')).toEqual(
      readRequest('---%0Acommand: worker:ack%0Apid: 12345%0Ax: 1e3%0A\n'),
    );
    expect(readRequest('{"command":"help","<<":{"id":4}}')).toEqual({
      kind: 'command',
      command: { command: 'help', id: 4 },
      id: 4,
    });
  });
});
