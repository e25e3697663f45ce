import { describe, expect, it } from 'vitest';
import { parseShellArguments } from './options.ts';

const env = { TMPDIR: '/run/t' };

describe('parseShellArguments (einhornsh options)', () => {
  it.each([
    [[], '/run/t/einhorn.sock'],
    [['web'], '/run/t/einhorn-web.sock'],
    [['-c', 'api'], '/run/t/einhorn-api.sock'],
    [['-c', 'api', 'web'], '/run/t/einhorn-api.sock'],
    [['--command-name=api'], '/run/t/einhorn-api.sock'],
    [['-d', './my.sock', '-c', 'api'], './my.sock'],
    [['--socket-path', '/x.sock'], '/x.sock'],
  ])('%j connects to %s', (argv, socketPath) => {
    expect(parseShellArguments(argv, env)).toEqual({
      kind: 'run',
      socketPath,
      execute: undefined,
      raw: false,
    });
  });

  it('takes -e and --raw', () => {
    expect(parseShellArguments(['-e', 'inc; state', '--raw', 'web'], env)).toEqual({
      kind: 'run',
      socketPath: '/run/t/einhorn-web.sock',
      execute: 'inc; state',
      raw: true,
    });
  });

  it('asks for help with -h', () => {
    expect(parseShellArguments(['-h'], env)).toEqual({ kind: 'help' });
    expect(parseShellArguments(['--help', 'a', 'b'], env)).toEqual({
      kind: 'help',
    });
  });

  it.each([[['a', 'b']], [['--bogus']], [['-d']]])('%j is a usage error', (argv) => {
    expect(parseShellArguments(argv, env).kind).toBe('usage-error');
  });
});
