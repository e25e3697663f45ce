import { describe, expect, it } from 'vitest';
import { COMMAND_NAMES, isCommandName } from '../protocol/command-names.ts';
import { commandSchema, commandSchemas } from './command.ts';
import { envSchema } from './env.ts';
import { replySchema } from './reply.ts';

const valid = {
  'worker:ack': { command: 'worker:ack', pid: 1 },
  'worker:ping': { command: 'worker:ping', pid: 1, request_id: 'r' },
  ehlo: { command: 'ehlo', user: 'alice' },
  help: { command: 'help' },
  state: { command: 'state' },
  reload: { command: 'reload' },
  inc: { command: 'inc' },
  dec: { command: 'dec' },
  set_workers: { command: 'set_workers', args: ['3'] },
  quieter: { command: 'quieter' },
  louder: { command: 'louder' },
  upgrade: { command: 'upgrade' },
  upgrade_fleet: { command: 'upgrade_fleet' },
  signal: { command: 'signal', args: ['USR1', 'hup'] },
  die: { command: 'die', args: [] },
  config: { command: 'config', args: ['{number: 3}'] },
} as const;

describe('commandSchema', () => {
  it('covers exactly the 16 commands of docs/reference/protocol.md, "Commands", in order', () => {
    expect(COMMAND_NAMES).toEqual(Object.keys(valid));
    expect(Object.keys(commandSchemas)).toEqual(COMMAND_NAMES);
    expect(Object.isFrozen(COMMAND_NAMES)).toBe(true);
    expect(isCommandName('upgrade_fleet')).toBe(true);
    expect(isCommandName('status')).toBe(false);
    expect(isCommandName('constructor')).toBe(false);
  });

  it.each(Object.entries(valid))('accepts a valid %s, with any scalar id', (_name, command) => {
    expect(commandSchema.parse(command)).toEqual(command);
    for (const id of [1, 'x', true, 0, false, -2.5])
      expect(commandSchema.parse({ ...command, id })).toEqual({ ...command, id });
  });

  it('drops unknown keys and treats null fields as absent (check 13)', () => {
    expect(commandSchema.parse({ command: 'inc', args: [], junk: { a: 1 }, id: null })).toEqual({
      command: 'inc',
    });
    expect(commandSchema.parse({ command: 'ehlo', user: null })).toEqual({ command: 'ehlo' });
    expect(commandSchema.parse({ command: 'die', args: null })).toEqual({ command: 'die' });
  });

  it.each([
    ['a string pid (check 24)', { command: 'worker:ack', pid: '123' }],
    ['no pid (check 24)', { command: 'worker:ack' }],
    ['a null pid', { command: 'worker:ack', pid: null }],
    ['a fractional pid', { command: 'worker:ack', pid: 1.5 }],
    ['pid 0', { command: 'worker:ack', pid: 0 }],
    ['an unsafe pid', { command: 'worker:ack', pid: 2 ** 53 }],
    ['a ping without request_id', { command: 'worker:ping', pid: 1 }],
    ['a numeric request_id', { command: 'worker:ping', pid: 1, request_id: 5 }],
    ['a numeric user', { command: 'ehlo', user: 5 }],
    ['numeric args', { command: 'set_workers', args: [3] }],
    ['string args', { command: 'signal', args: 'HUP' }],
    ['nested args', { command: 'config', args: [['x']] }],
    ['an object id', { command: 'inc', id: { a: 1 } }],
    ['an array id', { command: 'inc', id: [1] }],
    ['an infinite id', { command: 'inc', id: Number.POSITIVE_INFINITY }],
    ['an unknown command', { command: 'status' }],
    ['no command', { id: 1 }],
    ['a non-object', 42],
  ])('rejects %s', (_label, value) => {
    expect(commandSchema.safeParse(value).success).toBe(false);
  });
});

describe('replySchema', () => {
  it('accepts {message, request_id?, wait?} and treats nulls as absent', () => {
    expect(replySchema.parse({ message: '' })).toEqual({ message: '' });
    expect(replySchema.parse({ message: 'x', request_id: 'a', wait: true, extra: 1 })).toEqual({
      message: 'x',
      request_id: 'a',
      wait: true,
    });
    expect(replySchema.parse({ message: 'x', request_id: null, wait: null })).toEqual({
      message: 'x',
    });
  });

  it.each([
    {},
    { message: 1 },
    { message: 'x', wait: 'yes' },
    { message: 'x', request_id: [] },
    'x',
  ])('rejects %j', (value) => {
    expect(replySchema.safeParse(value).success).toBe(false);
  });
});

describe('envSchema', () => {
  it('outputs the parsed environment', () => {
    expect(envSchema.parse({ EINHORN_FD_COUNT: '1', EINHORN_FD_0: '7', OTHER: 'x' })).toEqual({
      fds: [7],
      fdSource: 'count',
    });
  });

  it('reports one issue at the offending variable, with the error code and details in params', () => {
    const result = envSchema.safeParse({
      EINHORN_FD_COUNT: '2',
      EINHORN_FD_0: '7',
      EINHORN_FD_1: 'x',
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues).toHaveLength(1);
    expect(result.error?.issues[0]).toMatchObject({
      path: ['EINHORN_FD_1'],
      params: { errorCode: 'ERR_EINHORN_ENV_INVALID', variable: 'EINHORN_FD_1', found: 'x' },
    });
    expect(envSchema.safeParse({}).error?.issues[0]).toMatchObject({
      params: { errorCode: 'ERR_EINHORN_ENV_MISSING' },
    });
    expect(envSchema.safeParse({ EINHORN_FD_COUNT: 1 }).success).toBe(false);
  });
});
