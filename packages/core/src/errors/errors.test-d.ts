import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type { commandSchemas } from '../schemas/command.ts';
import type {
  CommandName,
  EinhornCommand,
  ReadRequestResult,
  WorkerAckCommand,
  WorkerPingCommand,
} from '../types.ts';
import type { ErrorCode } from './codes.ts';
import { EinhornError, isEinhornError } from './einhorn-error.ts';
import type { EinhornAckError, EinhornProtocolError } from './errors.ts';
import { EinhornEnvError, EinhornFdError } from './errors.ts';

describe('error code narrowing', () => {
  it('narrows code to each subclass union', () => {
    expectTypeOf<EinhornEnvError['code']>().toEqualTypeOf<
      | 'ERR_EINHORN_ENV_MISSING'
      | 'ERR_EINHORN_ENV_INVALID'
      | 'ERR_EINHORN_NOT_A_WORKER'
      | 'ERR_EINHORN_MASTER_PID_MISMATCH'
      | 'ERR_EINHORN_CLUSTER_WORKER'
    >();
    expectTypeOf<EinhornFdError['code']>().toEqualTypeOf<
      | 'ERR_EINHORN_FD_OUT_OF_RANGE'
      | 'ERR_EINHORN_FD_INVALID'
      | 'ERR_EINHORN_FD_LISTEN_FAILED'
      | 'ERR_EINHORN_UNSUPPORTED_PLATFORM'
    >();
    expectTypeOf<EinhornProtocolError['code']>().toEqualTypeOf<
      | 'ERR_EINHORN_PROTOCOL_DECODE'
      | 'ERR_EINHORN_PROTOCOL_SCHEMA'
      | 'ERR_EINHORN_PROTOCOL_LINE_TOO_LONG'
    >();
    expectTypeOf<EinhornAckError['code']>().toEqualTypeOf<
      'ERR_EINHORN_ACK_CONNECT' | 'ERR_EINHORN_ACK_TIMEOUT' | 'ERR_EINHORN_ACK_REJECTED'
    >();
    expectTypeOf<EinhornError['code']>().toEqualTypeOf<ErrorCode>();
  });

  it('rejects a code from another area at compile time', () => {
    // @ts-expect-error ERR_EINHORN_ENV_MISSING is not an fd code
    new EinhornFdError('ERR_EINHORN_ENV_MISSING', 'x');
    // @ts-expect-error not a code at all
    new EinhornError('ERR_NOPE', 'x');
    // @ts-expect-error details must be JSON-safe
    new EinhornEnvError('ERR_EINHORN_ENV_INVALID', 'x', { details: { when: new Date() } });
  });

  it('isEinhornError narrows to the code asked for', () => {
    const err: unknown = undefined;
    if (isEinhornError(err, 'ERR_EINHORN_ACK_TIMEOUT')) {
      expectTypeOf(err.code).toEqualTypeOf<'ERR_EINHORN_ACK_TIMEOUT'>();
    }
    if (isEinhornError(err)) expectTypeOf(err.code).toEqualTypeOf<ErrorCode>();
  });

  it('supports exhaustive switches on a subclass code', () => {
    const describeEnv = (error: EinhornEnvError): string => {
      switch (error.code) {
        case 'ERR_EINHORN_ENV_MISSING':
        case 'ERR_EINHORN_ENV_INVALID':
        case 'ERR_EINHORN_NOT_A_WORKER':
        case 'ERR_EINHORN_MASTER_PID_MISMATCH':
        case 'ERR_EINHORN_CLUSTER_WORKER':
          return error.code;
        default:
          expectTypeOf(error.code).toBeNever();
          return 'unreachable';
      }
    };
    expectTypeOf(describeEnv).returns.toBeString();
  });
});

describe('EinhornCommand discrimination', () => {
  it('narrows on command', () => {
    const command = {} as EinhornCommand;
    if (command.command === 'worker:ack') {
      expectTypeOf(command).toEqualTypeOf<WorkerAckCommand>();
      expectTypeOf(command.pid).toBeNumber();
    }
    if (command.command === 'worker:ping') expectTypeOf(command.request_id).toBeString();
    if (command.command === 'set_workers')
      expectTypeOf(command.args).toEqualTypeOf<readonly string[] | undefined>();
    if (command.command === 'ehlo') expectTypeOf(command.user).toEqualTypeOf<string | undefined>();
    expectTypeOf<CommandName>().toEqualTypeOf<
      | 'worker:ack'
      | 'worker:ping'
      | 'ehlo'
      | 'help'
      | 'state'
      | 'reload'
      | 'inc'
      | 'dec'
      | 'set_workers'
      | 'quieter'
      | 'louder'
      | 'upgrade'
      | 'upgrade_fleet'
      | 'signal'
      | 'die'
      | 'config'
    >();
  });

  it('the zod schemas output the public command types', () => {
    expectTypeOf<z.output<(typeof commandSchemas)['worker:ack']>>().toExtend<WorkerAckCommand>();
    expectTypeOf<z.output<(typeof commandSchemas)['worker:ping']>>().toExtend<WorkerPingCommand>();
  });

  it('ReadRequestResult narrows on kind', () => {
    const result = {} as ReadRequestResult;
    if (result.kind === 'invalid') {
      expectTypeOf(result.error).toEqualTypeOf<EinhornProtocolError>();
      expectTypeOf(result.name).toEqualTypeOf<CommandName>();
    }
    if (result.kind === 'command') expectTypeOf(result.command).toEqualTypeOf<EinhornCommand>();
    if (result.kind === 'unknown-command') expectTypeOf(result.name).toBeString();
  });
});
