import { createServer } from 'node:http';
import { isEinhornError } from '@einhorn/core';
import { describe, expect, it } from 'vitest';
import { validateDrainOptions, validateServeOptions } from './validate.ts';

const server = createServer();

/** The `details` of the ERR_EINHORN_INVALID_OPTIONS thrown for `options`, or `'valid'`. */
function refusal(options: unknown): { option: string; found: string } | 'valid' {
  try {
    validateServeOptions(server, options);
  } catch (error) {
    if (!isEinhornError(error, 'ERR_EINHORN_INVALID_OPTIONS')) throw error;
    return error.details as { option: string; found: string };
  }
  return 'valid';
}

describe('validateServeOptions (core OptionsValidator: one error shape for every package)', () => {
  it('refuses options that are not an object', () => {
    expect(refusal(null)).toMatchObject({ option: 'options', found: 'null' });
    expect(refusal('fast')).toMatchObject({ option: 'options', found: '"fast"' });
    expect(refusal(undefined)).toBe('valid');
  });

  it('says what it expected and what it found, in the message and the TypeError cause', () => {
    let caught: unknown;
    try {
      validateServeOptions(server, { ready: 'soon' });
    } catch (error) {
      caught = error;
    }
    expect(isEinhornError(caught, 'ERR_EINHORN_INVALID_OPTIONS')).toBe(true);
    expect((caught as Error).message).toBe(
      'Expected serve() options to have ready as a function, but found "soon"; fix or omit that option.',
    );
    expect((caught as Error).cause).toBeInstanceOf(TypeError);
    expect((caught as { details: unknown }).details).toMatchObject({
      option: 'ready',
      found: '"soon"',
      issues: [{ path: 'ready' }],
    });
  });

  it('refuses a server that is not a net.Server', () => {
    let caught: unknown;
    try {
      validateServeOptions({} as never, {});
    } catch (error) {
      caught = error;
    }
    expect((caught as { details: { option: string } }).details.option).toBe('server');
  });

  it('refuses callbacks that are not functions, and an unknown ack mode', () => {
    expect(refusal({ onDrain: 1 })).toMatchObject({ option: 'onDrain', found: '1' });
    expect(refusal({ afterDrain: 'x' })).toMatchObject({ option: 'afterDrain' });
    expect(refusal({ drainSocket: {} })).toMatchObject({ option: 'drainSocket' });
    expect(refusal({ ack: () => 'auto' })).toMatchObject({ option: 'ack', found: 'a function' });
    expect(refusal({ ackConfirm: 'yes' })).toMatchObject({ option: 'ackConfirm' });
    expect(refusal({ ack: 'manual', ready: () => undefined, ackConfirm: true })).toBe('valid');
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
      { port: 80, host: '' },
    ]) {
      expect(refusal({ fallback })).toMatchObject({ option: 'fallback' });
    }
  });
});

describe('validateDrainOptions', () => {
  it('names the function in the message', () => {
    expect(() => {
      validateDrainOptions(server, { onDrain: 3 }, 'drainOnShutdown()');
    }).toThrow(/^Expected drainOnShutdown\(\) options to have onDrain as a function/);
  });
});
