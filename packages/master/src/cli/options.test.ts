import { describe, expect, it } from 'vitest';
import { isEinhornError } from '@einhorn/core';
import { parseCli } from './options.ts';
import type { CliOptions } from './options.ts';

function run(argv: string[]): CliOptions {
  const action = parseCli(argv);
  if (action.kind !== 'run') throw new Error(`expected run, got ${action.kind}`);
  return action.options;
}

function failure(argv: string[]): string {
  try {
    parseCli(argv);
  } catch (error) {
    if (isEinhornError(error)) return `${error.code}: ${error.message}`;
    throw error;
  }
  throw new Error('expected a failure');
}

describe('parseCli', () => {
  it('takes options before -- and the worker command after, in order', () => {
    const options = run([
      '-b',
      '127.0.0.1:8080',
      '--bind=127.0.0.1:8081,r',
      '-b[::1]:9',
      '-n',
      '3',
      '--',
      'node',
      'server.js',
      '-n',
      '5',
    ]);
    expect(options.bind).toEqual(['127.0.0.1:8080', '127.0.0.1:8081,r', '[::1]:9']);
    expect(options.workers).toBe(3);
    expect(options.command).toBe('node');
    expect(options.args).toEqual(['server.js', '-n', '5']);
  });

  it('stops at the first non-option word like optparse order! (no -- needed)', () => {
    const options = run(['-n2', 'node', '-b', 'x']);
    expect(options.workers).toBe(2);
    expect(options.command).toBe('node');
    expect(options.args).toEqual(['-b', 'x']);
    expect(options.bind).toEqual([]);
  });

  it('applies einhorn defaults', () => {
    const options = run(['--', 'app']);
    expect(options).toMatchObject({
      workers: 1,
      backlog: 100,
      ack: { mode: 'timer', afterMs: 1000 },
      secondsMs: 1000,
      signalTimeoutMs: 0,
      verbosity: 1,
      gracefulSignal: 'SIGUSR2',
      logFormat: 'text',
      maxFailedStarts: 10,
    });
  });

  it('clusters short flags and counts -q/-v', () => {
    const options = run(['-gkvv', '-q', '--', 'app']);
    expect(options.commandSocketAsFd).toBe(true);
    expect(options.killChildrenOnExit).toBe(true);
    expect(options.verbosity).toBe(0);
    expect(run(['-qqq', 'app']).verbosity).toBe(2);
  });

  it('parses ack modes, seconds and the einhorn-node extras', () => {
    expect(run(['-m', 'manual', '--ack-timeout', '2.5', 'app']).ack).toEqual({
      mode: 'manual',
      timeoutMs: 2500,
    });
    expect(run(['-m', '0.5', 'app']).ack).toEqual({ mode: 'timer', afterMs: 500 });
    expect(run(['-m', '1e-1', 'app']).ack).toEqual({ mode: 'timer', afterMs: 100 });
    const options = run([
      '-s',
      '0.2',
      '-t',
      '2',
      '--graceful-signal',
      'term',
      '--ping-timeout',
      '3',
      '--log-format',
      'json',
      '--max-unacked',
      '2',
      '--max-upgrade-additional=0',
      '--drop-env-var',
      'A',
      '--drop-env-var',
      'B',
      'app',
    ]);
    expect(options).toMatchObject({
      secondsMs: 200,
      signalTimeoutMs: 2000,
      gracefulSignal: 'SIGTERM',
      pingTimeoutMs: 3000,
      logFormat: 'json',
      maxUnacked: 2,
      maxUpgradeAdditional: 0,
      dropEnv: ['A', 'B'],
    });
  });

  it('returns help and version actions', () => {
    expect(parseCli(['-h'])).toEqual({ kind: 'help' });
    expect(parseCli(['--version'])).toEqual({ kind: 'version' });
  });

  it('refuses bad options with ERR_EINHORN_INVALID_OPTIONS and a clear message', () => {
    expect(failure(['--bogus', 'app'])).toMatch(
      /^ERR_EINHORN_INVALID_OPTIONS: Unknown option --bogus/,
    );
    expect(failure(['-x', 'app'])).toMatch(/Unknown option -x/);
    expect(failure(['-n'])).toMatch(/-n needs a value/);
    expect(failure(['-n', '0', 'app'])).toBe(
      'ERR_EINHORN_INVALID_OPTIONS: Expected the command line to have -n/--number as an integer in [1, 1000] (einhorn exits 0 for 0 workers; einhorn-node refuses), but found "0"; run einhorn-node --help for the syntax.',
    );
    expect(failure(['-n', 'two', 'app'])).toMatch(
      /-n\/--number as an integer in \[1, 1000\].*, but found "two"/,
    );
    expect(failure(['-s', '0', 'app'])).toMatch(
      /-s\/--seconds as a number of seconds > 0, but found "0"/,
    );
    expect(failure(['-m', 'auto', 'app'])).toMatch(
      /-m\/--ack-mode as "manual" or a number of seconds ≥ 0, but found "auto"/,
    );
    expect(failure(['--graceful-signal', 'NOPE', 'app'])).toMatch(
      /--graceful-signal as a signal name such as USR2 or SIGTERM, but found "NOPE"/,
    );
    expect(failure(['-g=1', 'app'])).toMatch(/Unknown option -=/);
    expect(failure(['--kill-children-on-exit=yes', 'app'])).toMatch(/takes no value/);
  });

  it('refuses a bad -b with ERR_EINHORN_BIND_INVALID naming it', () => {
    expect(failure(['-b', '::1:80', 'app'])).toMatch(
      /^ERR_EINHORN_BIND_INVALID: Invalid value for "::1:80"/,
    );
  });

  it('answers usage (stdout, exit 1 in the CLI) with no arguments or no program, as einhorn', () => {
    expect(parseCli([])).toEqual({ kind: 'usage', reason: undefined });
    expect(parseCli(['-n', '2'])).toMatchObject({
      kind: 'usage',
      reason: expect.stringMatching(/No program to run/) as unknown,
    });
  });

  it('answers --upgrade-check before anything else, as einhorn exits 0 there', () => {
    expect(parseCli(['--upgrade-check'])).toEqual({ kind: 'upgrade-check' });
    expect(parseCli(['--upgrade-check', '--', 'node', 'app.js'])).toEqual({
      kind: 'upgrade-check',
    });
  });

  it('reads --with-state-fd FD as the re-exec step of an upgrade', () => {
    expect(parseCli(['--with-state-fd', '3', '--', 'node', 'app.js'])).toEqual({
      kind: 'state-fd',
      fd: '3',
    });
  });

  it('shell-splits --reexec-as (the last one wins, like optparse)', () => {
    expect(run(['app']).reexecAs).toBeUndefined();
    expect(
      run(['--reexec-as=einhorn', "--reexec-as=env VAR='a b' einhorn-node", 'app']).reexecAs,
    ).toEqual(['env', 'VAR=a b', 'einhorn-node']);
    expect(failure(["--reexec-as=env 'x", 'app'])).toMatch(/unmatched quote/);
  });

  it("accepts -p PATH with a warning: workers are always exec'd", () => {
    const options = run(['-p', 'x.rb', 'app']);
    expect(options.command).toBe('app');
    expect(options.ignored).toEqual([expect.stringMatching(/^Ignoring -p x\.rb: preloading/)]);
  });
});
