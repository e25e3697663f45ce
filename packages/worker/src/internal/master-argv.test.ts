import { describe, expect, it } from 'vitest';
import { backlogFromArgv } from './master-argv.ts';

const node = ['/usr/bin/node', '/srv/node_modules/.bin/einhorn-node'];

describe('backlogFromArgv (check 33)', () => {
  it.each([
    [[...node, '-l', '7', '--', 'node', 'app.js'], 7],
    [[...node, '-l7', '-n', '2', '--', 'node', 'app.js'], 7],
    [[...node, '--backlog', '9', '-b', '127.0.0.1:0'], 9],
    [[...node, '--backlog=11', '--', 'node'], 11],
    [[...node, '-kgl', '13', 'node', 'app.js'], 13],
    [['/usr/bin/ruby', '/usr/local/bin/einhorn', '-b', '0.0.0.0:80', '-l', '64', 'node'], 64],
  ])('reads the backlog from %j', (argv, backlog) => {
    expect(backlogFromArgv(argv)).toEqual({ kind: 'known', backlog });
  });

  it('uses einhorn default of 100 when the einhorn command line has no -l', () => {
    expect(backlogFromArgv([...node, '-n', '2', '-m', 'manual', '--', 'node', 'app.js'])).toEqual({
      kind: 'known',
      backlog: 100,
    });
  });

  it('does not read options of the program after -- or after the first non-option', () => {
    expect(backlogFromArgv([...node, '--', 'node', 'app.js', '-l', '5'])).toEqual({
      kind: 'known',
      backlog: 100,
    });
    expect(backlogFromArgv([...node, 'node', '-l', '5'])).toEqual({ kind: 'known', backlog: 100 });
  });

  it('does not take a value of another option for -l (-c l, -d /tmp/-l)', () => {
    expect(backlogFromArgv([...node, '-c', 'l', '-d', '-l', '--', 'x'])).toEqual({
      kind: 'known',
      backlog: 100,
    });
  });

  it('skips the values of other long options, written apart or with =', () => {
    expect(
      backlogFromArgv([...node, '--socket-path', '/run/-l', '--number=2', '--verbose', '-l', '5']),
    ).toEqual({ kind: 'known', backlog: 5 });
    expect(backlogFromArgv([...node, '--backlog', 'x', '-', '-l', '5'])).toEqual({
      kind: 'known',
      backlog: 100,
    });
  });

  it('ignores a malformed -l value', () => {
    expect(backlogFromArgv([...node, '-l', 'many', '--', 'x'])).toEqual({
      kind: 'known',
      backlog: 100,
    });
  });

  it("recognises the Ruby einhorn's rewritten title, which has lost -l", () => {
    expect(backlogFromArgv(['einhorn: /usr/bin/node /srv/app/server.js', '', ''])).toEqual({
      kind: 'rewritten',
    });
  });

  it('knows nothing of other masters', () => {
    expect(backlogFromArgv(['/usr/bin/node', '/srv/supervisor.js', '-l', '7'])).toEqual({
      kind: 'unknown',
    });
    expect(backlogFromArgv([])).toEqual({ kind: 'unknown' });
  });
});
