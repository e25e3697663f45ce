import { describe, expect, it } from 'vitest';
import { defaultSocketPath } from './socket-path.ts';

describe('defaultSocketPath (the command socket defaults)', () => {
  it.each([
    [undefined, {}, '/tmp/einhorn.sock'],
    [undefined, { TMPDIR: '' }, '/tmp/einhorn.sock'],
    ['web', {}, '/tmp/einhorn-web.sock'],
    ['web', { TMPDIR: '/run/app/' }, '/run/app/einhorn-web.sock'],
    [undefined, { TMPDIR: '/var/tmp' }, '/var/tmp/einhorn.sock'],
  ])('name %j with env %j → %s', (name, env, expected) => {
    expect(defaultSocketPath(name, env)).toBe(expected);
  });

  it('reads process.env by default', () => {
    const previous = process.env['TMPDIR'];
    process.env['TMPDIR'] = '/srv/tmp';
    try {
      expect(defaultSocketPath('x')).toBe('/srv/tmp/einhorn-x.sock');
    } finally {
      if (previous === undefined) delete process.env['TMPDIR'];
      else process.env['TMPDIR'] = previous;
    }
  });
});
