import { isEinhornError } from '@einhorn/core';
import { describe, expect, it } from 'vitest';
import { validateServeOptions } from './validate.ts';

/** The `details` of the ERR_EINHORN_INVALID_OPTIONS thrown for `options`, or `'valid'`. */
function refusal(options: unknown): { option: string; found: string } | 'valid' {
  try {
    validateServeOptions(options);
  } catch (error) {
    if (!isEinhornError(error, 'ERR_EINHORN_INVALID_OPTIONS')) throw error;
    return error.details as { option: string; found: string };
  }
  return 'valid';
}

describe('validateServeOptions', () => {
  it('refuses options that are not an object', () => {
    expect(refusal(null)).toMatchObject({ option: 'options', found: 'null' });
    expect(refusal(undefined)).toMatchObject({ option: 'options', found: 'undefined' });
    expect(refusal('fast')).toMatchObject({ option: 'options', found: '"fast"' });
  });

  it('says what it expected and what it found, in the message and the TypeError cause', () => {
    let caught: unknown;
    try {
      validateServeOptions({ ready: 'soon' });
    } catch (error) {
      caught = error;
    }
    expect(isEinhornError(caught, 'ERR_EINHORN_INVALID_OPTIONS')).toBe(true);
    expect((caught as Error).message).toBe(
      'Expected serve() option ready to be a function, but found "soon"; fix or omit it.',
    );
    expect((caught as Error).cause).toBeInstanceOf(TypeError);
    expect((caught as { details: unknown }).details).toEqual({
      option: 'ready',
      found: '"soon"',
      issues: [{ path: 'ready', message: 'expected a function' }],
    });
  });

  it('refuses callbacks that are not functions, and shows a function as "a function"', () => {
    expect(refusal({ onDrain: 1 })).toMatchObject({ option: 'onDrain', found: '1' });
    expect(refusal({ drainSocket: {} })).toMatchObject({ option: 'drainSocket', found: '{}' });
    expect(refusal({ ack: () => 'auto' })).toMatchObject({ option: 'ack', found: 'a function' });
    expect(refusal({ ack: 'manual', ready: () => undefined })).toBe('valid');
  });

  it('bounds the millisecond options to what a timer accepts', () => {
    expect(refusal({ ackTimeoutMs: 0 })).toMatchObject({ option: 'ackTimeoutMs' });
    expect(refusal({ ackTimeoutMs: 2 ** 31 })).toMatchObject({ option: 'ackTimeoutMs' });
    expect(refusal({ idleGraceMs: 1.5 })).toMatchObject({ option: 'idleGraceMs' });
    expect(refusal({ idleGraceMs: 0, ackTimeoutMs: 2 ** 31 - 1 })).toBe('valid');
  });

  it('accepts a fallback { port, host? } or { path }, and nothing else', () => {
    expect(refusal({ fallback: { port: 0 } })).toBe('valid');
    expect(refusal({ fallback: { port: 8080, host: '::1' } })).toBe('valid');
    expect(refusal({ fallback: { path: '/run/app.sock' } })).toBe('valid');
    for (const fallback of [
      3000,
      null,
      { path: '' },
      { path: 7 },
      { path: '/run/app.sock', port: 80 },
      { port: '80' },
      { port: 1.5 },
      { port: -1 },
      { port: 80, host: 127001 },
    ]) {
      expect(refusal({ fallback })).toMatchObject({
        option: 'fallback',
        found: JSON.stringify(fallback),
      });
    }
  });
});
