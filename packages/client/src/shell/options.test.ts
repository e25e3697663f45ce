import { describe, expect, it } from 'vitest';
import { parseShellArguments } from './options.ts';

// A directory that exists and is writable, as Ruby's Dir.tmpdir (and so defaultPaths) requires.
const T = import.meta.dirname;
const env = { TMPDIR: T };

describe('parseShellArguments (einhornsh options)', () => {
  it.each([
    [[], `${T}/einhorn.sock`],
    [['web'], `${T}/einhorn-web.sock`],
    [['-c', 'api'], `${T}/einhorn-api.sock`],
    [['-c', 'api', 'web'], `${T}/einhorn-api.sock`],
    [['--command-name=api'], `${T}/einhorn-api.sock`],
    [['-d', './my.sock', '-c', 'api'], './my.sock'],
    [['--socket-path', '/x.sock'], '/x.sock'],
  ])('%j connects to the socket %s', (argv, socketPath) => {
    expect(parseShellArguments(argv, env)).toEqual({
      kind: 'run',
      socketPath,
      execute: undefined,
      raw: false,
      json: false,
    });
  });

  it('takes -e, --raw and --json', () => {
    expect(parseShellArguments(['-e', 'inc; state', '--raw', 'web'], env)).toEqual({
      kind: 'run',
      socketPath: `${T}/einhorn-web.sock`,
      execute: 'inc; state',
      raw: true,
      json: false,
    });
    expect(parseShellArguments(['--json', '-e', 'state'], env)).toMatchObject({
      execute: 'state',
      raw: false,
      json: true,
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
