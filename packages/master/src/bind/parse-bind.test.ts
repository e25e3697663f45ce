import { describe, expect, it } from 'vitest';
import { isEinhornError } from '@einhorn/core';
import { parseBindSpec, parseBindString } from './parse-bind.ts';

describe('parseBindString', () => {
  it('parses einhorn HOST:PORT[,flags], lowercasing and dropping empty flags', () => {
    expect(parseBindString('127.0.0.1:8080')).toEqual({
      kind: 'tcp',
      spec: '127.0.0.1:8080',
      host: '127.0.0.1',
      port: 8080,
      reusePort: false,
      flags: [],
    });
    expect(parseBindString('localhost:0,R,,n,SO_REUSEADDR')).toMatchObject({
      host: 'localhost',
      port: 0,
      reusePort: false,
      flags: ['r', 'n', 'so_reuseaddr'],
    });
    expect(parseBindString('0.0.0.0:80,reuseport')).toMatchObject({ reusePort: true });
  });

  it('accepts [IPv6]:PORT and UNIX paths (beyond einhorn)', () => {
    expect(parseBindString('[::1]:80')).toMatchObject({ kind: 'tcp', host: '::1', port: 80 });
    expect(parseBindString('/run/app.sock')).toEqual({
      kind: 'unix',
      spec: '/run/app.sock',
      path: '/run/app.sock',
    });
    expect(parseBindString('./app.sock')).toMatchObject({ kind: 'unix', path: './app.sock' });
    expect(parseBindString('unix:app.sock')).toMatchObject({ kind: 'unix', path: 'app.sock' });
  });

  it.each([
    '::1:80',
    '127.0.0.1',
    ':80',
    '127.0.0.1:',
    '127.0.0.1:99999',
    '127.0.0.1:80,bogus',
    '[nope]:80',
    'unix:',
    `/${'x'.repeat(120)}`,
  ])('refuses %j with ERR_EINHORN_BIND_INVALID', (spec) => {
    try {
      parseBindString(spec);
      expect.unreachable();
    } catch (error) {
      expect(isEinhornError(error, 'ERR_EINHORN_BIND_INVALID')).toBe(true);
      expect((error as Error).message).toContain(`"${spec}"`);
    }
  });

  it('validates object specs', () => {
    expect(parseBindSpec({ host: '::1', port: 0, reusePort: true })).toMatchObject({
      spec: '[::1]:0',
      reusePort: true,
    });
    expect(parseBindSpec({ path: '/tmp/a.sock' })).toMatchObject({
      kind: 'unix',
      path: '/tmp/a.sock',
    });
    expect(() => parseBindSpec({ host: 'a', port: 70000 })).toThrow(/port must be an integer/);
  });
});
