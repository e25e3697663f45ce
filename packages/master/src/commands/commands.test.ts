import { describe, expect, it } from 'vitest';
import { createLogBus } from '../log/log-bus.ts';
import { createRuntimeState } from '../state/runtime.ts';
import { WorkerPool } from '../supervisor/worker-pool.ts';
import { config } from './config.ts';
import type { CommandContext } from './context.ts';
import { changeVerbosity, ehlo } from './info.ts';
import { die, reload, signal } from './lifecycle.ts';
import { decrement, increment, setWorkers } from './worker-count.ts';

function fakeContext(overrides: Partial<CommandContext> = {}) {
  const calls: string[] = [];
  const state = createRuntimeState({
    target: 2,
    secondsMs: 1000,
    maxSpinupMs: 30_000,
    maxUnacked: 2,
    maxUpgradeAdditional: undefined,
    killTimeoutMs: 0,
    pingTimeoutMs: 0,
    maxFailedStarts: 10,
    ack: { mode: 'timer', afterMs: 1000 },
    shutdownSignal: 'SIGUSR2',
  });
  const context = {
    pid: 4242,
    name: undefined,
    log: createLogBus(undefined, 1),
    state,
    pool: new WorkerPool(),
    minWorkers: 1,
    snapshot: () => ({}),
    stateYaml: () => '---\n:state: {}\n',
    setTarget: (count: number) => {
      state.config.target = count;
      calls.push(`target ${count}`);
    },
    signalAll: (sig: NodeJS.Signals, recorded: boolean) =>
      calls.push(`signal ${sig} ${String(recorded)}`),
    upgrade: (mode: string) => calls.push(`upgrade ${mode}`),
    die: (sig: NodeJS.Signals) => calls.push(`die ${sig}`),
    reload: () => calls.push('reload'),
    configChanged: () => calls.push('config'),
    ...overrides,
  } as unknown as CommandContext;
  return { context, calls, state };
}

describe('worker count replies (einhorn texts)', () => {
  it('inc and dec', () => {
    const { context } = fakeContext();
    expect(increment(context)).toBe('Incrementing number of workers from 2 -> 3');
    expect(decrement(context)).toBe('Decrementing number of workers from 3 -> 2');
    expect(decrement(context)).toBe('Decrementing number of workers from 2 -> 1');
    expect(decrement(context)).toBe(
      "Can't decrease number of workers (already at 1).  Run kill 4242 if you really want to kill einhorn.",
    );
  });

  it('dec refuses to go below the reuseport slots', () => {
    const { context } = fakeContext({ minWorkers: 2 });
    expect(decrement(context)).toMatch(
      /^Can't decrease number of workers below the 2 reuseport slots/,
    );
  });

  it('set_workers (check 42)', () => {
    const { context, calls } = fakeContext();
    expect(setWorkers(context, [])).toBe("Invalid count: ''. Must be an integer in [1,1000).");
    expect(setWorkers(context, ['3abc'])).toBe(
      "Invalid count: '3abc'. Must be an integer in [1,1000).",
    );
    expect(setWorkers(context, ['2'])).toBe('');
    expect(setWorkers(context, ['1000'])).toBe(
      'Altering worker count, 2 -> 1000. Will spin up additional workers.',
    );
    expect(setWorkers(context, ['1'])).toBe(
      'Altering worker count, 1000 -> 1. Will gracefully terminate workers.',
    );
    expect(calls).toEqual(['target 1000', 'target 1']);
  });
});

describe('signal, die, reload', () => {
  it('signal normalizes names, refuses unknown ones, sends unrecorded signals (check 44)', () => {
    const { context, calls } = fakeContext();
    expect(signal(context, ['FOO', 'bar'])).toBe('Invalid signals: "FOO", "BAR"');
    expect(signal(context, ['sigusr1'])).toBe('');
    expect(signal(context, ['HUP', 'sigwinch'])).toBe('\n');
    expect(signal(context, undefined)).toBe('No args provided');
    expect(calls).toEqual(['signal SIGUSR1 false', 'signal SIGHUP false', 'signal SIGWINCH false']);
  });

  it('die uses the graceful signal by default and keeps the trailing space (check 45)', () => {
    const { context, calls } = fakeContext();
    expect(die(context, [])).toBe('Einhorn is going down! ');
    expect(die(context, ['term'])).toBe('Einhorn is going down! ');
    expect(die(context, ['NOPE'])).toBe('Invalid signal: "NOPE"');
    expect(calls).toEqual(['die SIGUSR2', 'die SIGTERM']);
  });

  it('reload is refused while shutting down', () => {
    const { context, calls, state } = fakeContext();
    expect(reload(context)).toBe('Reloading, as commanded');
    state.respawn = false;
    expect(reload(context)).toBe('Not reloading: the master is shutting down');
    expect(calls).toEqual(['reload']);
  });
});

describe('ehlo and verbosity', () => {
  it('ehlo names the pid, the -c name and einhorn-node', () => {
    expect(ehlo(fakeContext().context, 'bob')).toMatch(
      /^Welcome, bob! You are speaking to Einhorn Master Process 4242\.\nThis is einhorn-node \d+\.\d+\.\d+\.\n$/,
    );
    expect(ehlo(fakeContext({ name: 'web' }).context, undefined)).toMatch(
      /^Welcome, ! You are speaking to Einhorn Master Process 4242 \(web\)\./,
    );
  });

  it('quieter/louder clamp to 0..2', () => {
    const { context } = fakeContext();
    expect(changeVerbosity(context, 1)).toBe('Verbosity set to 2');
    expect(changeVerbosity(context, 1)).toBe('Verbosity set to 2');
    expect(changeVerbosity(context, -1)).toBe('Verbosity set to 1');
  });
});

describe('config (P18)', () => {
  it('refuses a number below the reuseport slots, naming what it found', () => {
    const { context, calls } = fakeContext({ minWorkers: 2 });
    expect(config(context, ['{number: 1}'])).toBe(
      'Refusing config: "number" must be at least the 2 reuseport slots, found 1; send a larger number.',
    );
    expect(calls).toEqual([]);
  });

  it('applies known keys and refuses everything else', () => {
    const { context, state, calls } = fakeContext();
    expect(config(context, undefined)).toBe('No args provided');
    expect(config(context, [])).toBe('Must pass in a YAML-encoded hash');
    expect(config(context, ['{'])).toBe('Could not parse argument. Must be a YAML-encoded hash');
    expect(config(context, ['42'])).toBe('Parsed argument is a Integer, not a hash');
    expect(config(context, ['{respawn: false}'])).toMatch(
      /^Refusing config: unknown key "respawn"/,
    );
    expect(config(context, ['{seconds: -1}'])).toBe(
      'Refusing config: "seconds" is invalid (expected a number > 0), found -1; send a corrected value.',
    );
    expect(config(context, ['{:max_unacked: 0}'])).toMatch(
      /^Refusing config: "max_unacked" is invalid \(expected an integer ≥ 1\), found 0/,
    );
    expect(
      config(context, [
        '{seconds: 0.5, signal_timeout: 3, max_upgrade_additional: ~, max_unacked: 2}',
      ]),
    ).toBe(
      'Successfully merged in config: {"seconds":0.5,"max_unacked":2,"max_upgrade_additional":null,"signal_timeout":3}',
    );
    expect(state.config).toMatchObject({
      secondsMs: 500,
      killTimeoutMs: 3000,
      maxUpgradeAdditional: undefined,
      maxUnacked: 2,
    });
    expect(config(context, [':number:', '4'])).toBe('Successfully merged in config: {"number":4}');
    expect(calls).toContain('target 4');
  });
});
