import { isEinhornError } from '@einhorn/core';
import { describe, expect, it } from 'vitest';
import { OptionsValidator, checkContextOptions } from './validate.ts';

/** Runs the checks and returns what `throwIfInvalid` reports, or `'valid'`. */
function report(
  options: unknown,
  check: (v: OptionsValidator) => void,
): { message: string; details: unknown; cause: string } | 'valid' {
  const v = new OptionsValidator(options);
  check(v);
  try {
    v.throwIfInvalid('test() options');
  } catch (error) {
    if (!isEinhornError(error, 'ERR_EINHORN_INVALID_OPTIONS')) throw error;
    return {
      message: error.message,
      details: error.details,
      cause: (error.cause as TypeError).message,
    };
  }
  return 'valid';
}

// OptionsValidator itself is tested in @einhorn/core; this is the worker's use of it.
describe('checkContextOptions', () => {
  it('checkContextOptions lists every malformed context option, the first one in the message', () => {
    const options = { env: 'PATH=/bin', ppid: -1, verifyParent: 1, legacyFds: 'no', systemd: 0 };
    const result = report(options, (v) => {
      checkContextOptions(v);
    });
    expect(result).not.toBe('valid');
    if (result === 'valid') return;
    expect(result.message).toMatch(/^Expected test\(\) options to have env as an object/);
    expect(
      (result.details as { issues: { path: string }[] }).issues.map((issue) => issue.path),
    ).toEqual(['env', 'ppid', 'verifyParent', 'legacyFds', 'systemd']);
    expect(result.cause.split('; ')).toHaveLength(5);
  });
});
