import { describe, expect, it, vi } from 'vitest';
import { ErrorCodes } from './codes.ts';
import type { ErrorCode } from './codes.ts';
import { EinhornError, isEinhornError } from './einhorn-error.ts';
import {
  EinhornAckError,
  EinhornClientError,
  EinhornEnvError,
  EinhornFdError,
  EinhornMasterError,
  EinhornProtocolError,
  EinhornShutdownError,
} from './errors.ts';

const subclasses = [
  [EinhornEnvError, 'ERR_EINHORN_ENV_INVALID'],
  [EinhornFdError, 'ERR_EINHORN_FD_OUT_OF_RANGE'],
  [EinhornProtocolError, 'ERR_EINHORN_PROTOCOL_DECODE'],
  [EinhornAckError, 'ERR_EINHORN_ACK_TIMEOUT'],
  [EinhornShutdownError, 'ERR_EINHORN_SHUTDOWN_TIMEOUT'],
  [EinhornMasterError, 'ERR_EINHORN_BIND_FAILED'],
  [EinhornClientError, 'ERR_EINHORN_CLIENT_CLOSED'],
] as const;

type AnyErrorClass = new (
  code: never,
  message: string,
  options?: { cause?: unknown; details?: Record<string, never> },
) => EinhornError;

describe('EinhornError', () => {
  it('has name, code, message, toString in the "Name [CODE]: message" form, and a stack headed by the class', () => {
    const error = new EinhornFdError(
      'ERR_EINHORN_FD_OUT_OF_RANGE',
      'Only 2 fds available, but fd index 3 was requested.',
      { details: { index: 3, count: 2 } },
    );
    expect(error.name).toBe('EinhornFdError');
    expect(error.code).toBe('ERR_EINHORN_FD_OUT_OF_RANGE');
    expect(String(error)).toBe(
      'EinhornFdError [ERR_EINHORN_FD_OUT_OF_RANGE]: Only 2 fds available, but fd index 3 was requested.',
    );
    expect(error.stack?.split('\n')[0]).toBe(
      'EinhornFdError: Only 2 fds available, but fd index 3 was requested.',
    );
    expect(error).toBeInstanceOf(Error);
  });

  it('keeps the cause when wrapping (even a falsy one) and omits it otherwise', () => {
    const cause = Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE' });
    expect(new EinhornMasterError('ERR_EINHORN_BIND_FAILED', 'x', { cause }).cause).toBe(cause);
    expect(
      'cause' in new EinhornMasterError('ERR_EINHORN_BIND_FAILED', 'x', { cause: undefined }),
    ).toBe(true);
    expect('cause' in new EinhornMasterError('ERR_EINHORN_BIND_FAILED', 'x')).toBe(false);
    expect(new EinhornMasterError('ERR_EINHORN_BIND_FAILED', 'x', { cause: 0 }).cause).toBe(0);
  });

  it('freezes a copy of details and serialises to JSON without the cause', () => {
    const details = { variable: 'EINHORN_FD_0', found: '7a', list: [1, 'a', null, true] };
    const error = new EinhornEnvError('ERR_EINHORN_ENV_INVALID', 'bad', {
      details,
      cause: new Error('inner'),
    });
    details.variable = 'changed';
    expect(error.details).toEqual({
      variable: 'EINHORN_FD_0',
      found: '7a',
      list: [1, 'a', null, true],
    });
    expect(Object.isFrozen(error.details)).toBe(true);
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'EinhornEnvError',
      code: 'ERR_EINHORN_ENV_INVALID',
      message: 'bad',
      details: error.details,
    });
    expect(new EinhornEnvError('ERR_EINHORN_ENV_MISSING', 'm').details).toBeUndefined();
  });

  it.each(subclasses)('%o is an EinhornError, and no sibling class claims it', (Class, code) => {
    const error = new (Class as unknown as AnyErrorClass)(code as never, 'message');
    expect(error).toBeInstanceOf(EinhornError);
    expect(error).toBeInstanceOf(Class);
    expect(error.name).toBe(Class.name);
    for (const [Other] of subclasses) {
      if (Other !== Class) expect(error instanceof Other).toBe(false);
    }
    expect(isEinhornError(error)).toBe(true);
    expect(isEinhornError(error, code)).toBe(true);
    expect(isEinhornError(error, 'ERR_EINHORN_INVALID_OPTIONS')).toBe(false);
  });

  it('the base class carries ERR_EINHORN_INVALID_OPTIONS and is not any subclass', () => {
    const error = new EinhornError(
      'ERR_EINHORN_INVALID_OPTIONS',
      'Expected timeoutMs to be positive, but found -1; pass a positive number.',
    );
    expect(error.name).toBe('EinhornError');
    for (const [Class] of subclasses) expect(error instanceof Class).toBe(false);
    expect(String(error)).toBe(
      'EinhornError [ERR_EINHORN_INVALID_OPTIONS]: Expected timeoutMs to be positive, but found -1; pass a positive number.',
    );
  });

  it('isEinhornError and instanceof reject look-alikes that lack the brand', () => {
    for (const value of [
      new Error('x'),
      { code: 'ERR_EINHORN_ENV_MISSING', name: 'EinhornEnvError' },
      null,
      undefined,
      'ERR',
      42,
    ]) {
      expect(isEinhornError(value)).toBe(false);
      expect(value instanceof EinhornError).toBe(false);
      expect(value instanceof EinhornEnvError).toBe(false);
    }
  });

  it('recognises errors from a second copy of the module (duplicate package), in both directions', async () => {
    vi.resetModules();
    const copy = await import('./errors.ts');
    const baseCopy = await import('./einhorn-error.ts');
    expect(copy.EinhornFdError).not.toBe(EinhornFdError);
    const foreign = new copy.EinhornFdError('ERR_EINHORN_FD_INVALID', 'x');
    expect(foreign).toBeInstanceOf(EinhornFdError);
    expect(foreign).toBeInstanceOf(EinhornError);
    expect(foreign instanceof EinhornEnvError).toBe(false);
    expect(isEinhornError(foreign, 'ERR_EINHORN_FD_INVALID')).toBe(true);
    const local = new EinhornAckError('ERR_EINHORN_ACK_CONNECT', 'y');
    expect(local).toBeInstanceOf(copy.EinhornAckError);
    expect(local).toBeInstanceOf(baseCopy.EinhornError);
    expect(baseCopy.isEinhornError(local, 'ERR_EINHORN_ACK_CONNECT')).toBe(true);
  });

  it('uses Symbol.for brands, so any realm or copy can check them', () => {
    const error = new EinhornShutdownError(
      'ERR_EINHORN_SHUTDOWN_TIMEOUT',
      'x',
    ) as unknown as Record<symbol, unknown>;
    expect(error[Symbol.for('einhorn.error')]).toBe(true);
    expect(error[Symbol.for('einhorn.error.EinhornShutdownError')]).toBe(true);
    expect(Object.keys(error)).toEqual(['code']);
  });
});

describe('ErrorCodes', () => {
  it('maps every code to itself and follows ERR_EINHORN_<AREA>_<PROBLEM>', () => {
    for (const [key, value] of Object.entries(ErrorCodes)) {
      expect(value).toBe(key);
      expect(key).toMatch(/^ERR_EINHORN_[A-Z]+(?:_[A-Z]+)+$/);
    }
    const codes: ErrorCode[] = Object.values(ErrorCodes);
    expect(new Set(codes).size).toBe(codes.length);
  });
});
