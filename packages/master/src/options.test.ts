import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { isEinhornError } from '@einhorn/core';
import type { EinhornError } from '@einhorn/core';
import { resolveMasterOptions } from './options.ts';
import type { MasterOptions } from './types.ts';

function refusal(options: unknown): EinhornError {
  try {
    resolveMasterOptions(options as MasterOptions);
  } catch (error) {
    if (isEinhornError(error)) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(options)} to be refused`);
}

/** Every problem reported, as `option: expected …, found …`. */
function problems(options: unknown): string[] {
  const issues = (refusal(options).details?.['issues'] ?? []) as {
    path: string;
    message: string;
  }[];
  return issues.map((issue) => `${issue.path}: ${issue.message}`);
}

describe('resolveMasterOptions', () => {
  it('applies every default', () => {
    const env = { TMPDIR: '/srv/tmp' };
    expect(resolveMasterOptions({ command: 'node', env })).toEqual({
      command: 'node',
      args: [],
      binds: [],
      workers: 1,
      ack: { mode: 'timer', afterMs: 1000 },
      shutdownSignal: 'SIGUSR2',
      killTimeoutMs: 0,
      respawnBackoff: { minMs: 1000, maxMs: 30_000 },
      maxUnacked: availableParallelism(),
      maxUpgradeAdditional: undefined,
      backlog: 100,
      socketActivation: true,
      env,
      dropEnv: [],
      reexecCommand: undefined,
      legacyFdsEnv: true,
      cwd: process.cwd(),
      name: undefined,
      commandSocketPath: expect.stringMatching(/\/einhorn\.sock$/) as unknown,
      pidfilePath: false,
      lockfilePath: undefined,
      commandSocketAsFd: false,
      killWorkersOnExit: false,
      pingTimeoutMs: 0,
      maxFailedStarts: 10,
      logger: undefined,
      verbosity: 1,
      signal: undefined,
    });
    expect(resolveMasterOptions({ command: 'node' }).env).toBe(process.env);
    expect(resolveMasterOptions({ command: 'node', ack: { mode: 'manual' } }).ack).toEqual({
      mode: 'manual',
      timeoutMs: 0,
    });
    expect(
      resolveMasterOptions({ command: 'node', respawnBackoff: { minMs: 5 } }).respawnBackoff,
    ).toEqual({ minMs: 5, maxMs: 30_000 });
    expect(resolveMasterOptions({ command: 'node', name: 'web' }).commandSocketPath).toMatch(
      /\/einhorn-web\.sock$/,
    );
  });

  it('keeps every given value, and ignores unknown keys', () => {
    const logger = (): void => undefined;
    const signal = new AbortController().signal;
    const options: MasterOptions & { extra: number } = {
      command: 'node',
      args: ['app.js'],
      bind: [
        '127.0.0.1:0,r',
        { host: '::1', port: 8080, reuseAddr: true, reusePort: true },
        { path: '/run/app.sock' },
      ],
      workers: 1000,
      ack: { mode: 'manual', timeoutMs: 2500 },
      shutdownSignal: 'SIGTERM',
      killTimeoutMs: 0,
      respawnBackoff: { minMs: 0.5, maxMs: 10 },
      maxUnacked: 1,
      maxUpgradeAdditional: 0,
      backlog: 65535,
      socketActivation: false,
      env: { A: 'b', GONE: undefined },
      dropEnv: ['A'],
      reexecCommand: ['einhorn-node'],
      legacyFdsEnv: false,
      cwd: '/srv',
      name: 'web',
      commandSocketPath: '/run/e.sock',
      pidfilePath: '/run/e.pid',
      lockfilePath: '/run/e.lock',
      commandSocketAsFd: true,
      killWorkersOnExit: true,
      pingTimeoutMs: 3,
      maxFailedStarts: 0,
      logger,
      verbosity: 0,
      signal,
      extra: 1,
    };
    const resolved = resolveMasterOptions(options);
    const given: Record<string, unknown> = { ...options };
    delete given['bind'];
    delete given['extra'];
    expect(resolved).not.toHaveProperty('extra');
    expect(resolved).toMatchObject(given);
    expect(resolved.binds).toMatchObject([
      { kind: 'tcp', host: '127.0.0.1', port: 0, flags: ['r'], reusePort: false },
      { kind: 'tcp', spec: '[::1]:8080', flags: ['r', 'reuseport'], reusePort: true },
      { kind: 'unix', path: '/run/app.sock' },
    ]);
    expect(resolveMasterOptions({ command: 'x', ack: { mode: 'timer', afterMs: 0 } }).ack).toEqual({
      mode: 'timer',
      afterMs: 0,
    });
  });

  it('says what was expected, what was found and what to do', () => {
    const error = refusal({ command: 'x', workers: 0 });
    expect(error.code).toBe('ERR_EINHORN_INVALID_OPTIONS');
    expect(error.message).toBe(
      'Expected createMaster() options to have workers as an integer in [1, 1000], but found 0; fix that option and start again.',
    );
    expect(error.details).toMatchObject({ option: 'workers', found: '0' });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['command', { command: undefined }, 'expected a non-empty string (required), found undefined'],
    ['command', { command: '' }, 'expected a non-empty string, found ""'],
    ['args', { args: 'app.js' }, 'expected an array of strings, found "app.js"'],
    ['args', { args: [1] }, 'expected an array of strings, found [1]'],
    ['workers', { workers: 1001 }, 'expected an integer in [1, 1000], found 1001'],
    ['workers', { workers: 1.5 }, 'expected an integer in [1, 1000], found 1.5'],
    [
      'shutdownSignal',
      { shutdownSignal: 'SIGNOPE' },
      'expected a signal name such as "SIGUSR2", found "SIGNOPE"',
    ],
    [
      'shutdownSignal',
      { shutdownSignal: 15 },
      'expected a signal name such as "SIGUSR2", found 15',
    ],
    ['killTimeoutMs', { killTimeoutMs: -1 }, 'expected a finite number ≥ 0, found -1'],
    ['killTimeoutMs', { killTimeoutMs: Infinity }, 'expected a finite number ≥ 0, found Infinity'],
    ['pingTimeoutMs', { pingTimeoutMs: '5' }, 'expected a finite number ≥ 0, found "5"'],
    ['maxUnacked', { maxUnacked: 0 }, 'expected an integer in [1, 9007199254740991], found 0'],
    [
      'maxUpgradeAdditional',
      { maxUpgradeAdditional: -1 },
      'expected an integer in [0, 9007199254740991], found -1',
    ],
    ['backlog', { backlog: 65536 }, 'expected an integer in [0, 65535], found 65536'],
    [
      'maxFailedStarts',
      { maxFailedStarts: -1 },
      'expected an integer in [0, 9007199254740991], found -1',
    ],
    ['socketActivation', { socketActivation: 'yes' }, 'expected a boolean, found "yes"'],
    ['legacyFdsEnv', { legacyFdsEnv: 1 }, 'expected a boolean, found 1'],
    ['commandSocketAsFd', { commandSocketAsFd: null }, 'expected a boolean, found null'],
    ['killWorkersOnExit', { killWorkersOnExit: 0 }, 'expected a boolean, found 0'],
    [
      'env',
      { env: { A: 1 } },
      'expected an object of string values, like process.env, found Object',
    ],
    [
      'env',
      { env: ['A=b'] },
      'expected an object of string values, like process.env, found ["A=b"]',
    ],
    ['dropEnv', { dropEnv: 'A' }, 'expected an array of strings, found "A"'],
    ['reexecCommand', { reexecCommand: [] }, 'expected an array of at least 1 string, found []'],
    ['cwd', { cwd: '' }, 'expected a non-empty string, found ""'],
    ['name', { name: 3 }, 'expected a non-empty string, found 3'],
    ['commandSocketPath', { commandSocketPath: '' }, 'expected a non-empty string, found ""'],
    ['pidfilePath', { pidfilePath: true }, 'expected a non-empty string, found true'],
    ['pidfilePath', { pidfilePath: '' }, 'expected a non-empty string, found ""'],
    ['lockfilePath', { lockfilePath: '' }, 'expected a non-empty string, found ""'],
    ['logger', { logger: 'console' }, 'expected a function, found "console"'],
    ['verbosity', { verbosity: 3 }, 'expected one of 0, 1, 2, found 3'],
    ['signal', { signal: {} }, 'expected an AbortSignal, found Object'],
  ])('refuses a bad %s: %j', (option, bad, message) => {
    expect(problems({ command: 'x', ...bad })).toEqual([`${option}: ${message}`]);
  });

  it.each<[Record<string, unknown>, string[]]>([
    [
      { ack: 'manual' },
      [
        `ack: expected { mode: 'timer', afterMs } or { mode: 'manual', timeoutMs? }, found "manual"`,
      ],
    ],
    [
      { ack: { mode: 'auto' } },
      [`ack: expected { mode: 'timer', afterMs } or { mode: 'manual', timeoutMs? }, found Object`],
    ],
    [
      { ack: { mode: 'timer' } },
      ['ack.afterMs: expected a finite number ≥ 0 (required in timer mode), found undefined'],
    ],
    [
      { ack: { mode: 'timer', afterMs: -1 } },
      ['ack.afterMs: expected a finite number ≥ 0, found -1'],
    ],
    [
      { ack: { mode: 'manual', timeoutMs: NaN } },
      ['ack.timeoutMs: expected a finite number ≥ 0, found NaN'],
    ],
    [
      { respawnBackoff: 1000 },
      ['respawnBackoff: expected { minMs, maxMs? } with both > 0, found 1000'],
    ],
    [
      { respawnBackoff: {} },
      ['respawnBackoff.minMs: expected a finite number > 0 (required), found undefined'],
    ],
    [
      { respawnBackoff: { minMs: 0, maxMs: -1 } },
      [
        'respawnBackoff.minMs: expected a finite number > 0, found 0',
        'respawnBackoff.maxMs: expected a finite number > 0, found -1',
      ],
    ],
  ])('refuses the nested option %j', (bad, messages) => {
    expect(problems({ command: 'x', ...bad })).toEqual(messages);
  });

  it.each<[unknown, string[]]>([
    [
      '127.0.0.1:80',
      [
        'bind: expected an array whose entries are each a string "HOST:PORT[,FLAGS]" or UNIX path, { host, port, reuseAddr?, reusePort? } or { path }, found "127.0.0.1:80"',
      ],
    ],
    [
      [42],
      [
        'bind[0]: expected a string "HOST:PORT[,FLAGS]" or UNIX path, { host, port, reuseAddr?, reusePort? } or { path }, found 42',
      ],
    ],
    [
      [{ port: 80 }],
      [
        'bind[0]: expected a string "HOST:PORT[,FLAGS]" or UNIX path, { host, port, reuseAddr?, reusePort? } or { path }, found Object',
      ],
    ],
    [
      [{ host: 1, port: '80' }],
      [
        'bind[0].host: expected a string, found 1',
        'bind[0].port: expected an integer in [0, 65535], found "80"',
      ],
    ],
    [
      ['x:1', { host: 'x', port: 1, reuseAddr: 'yes', reusePort: 1 }],
      [
        'bind[1].reuseAddr: expected a boolean, found "yes"',
        'bind[1].reusePort: expected a boolean, found 1',
      ],
    ],
    [[{ path: '' }], ['bind[0].path: expected a non-empty string, found ""']],
  ])('refuses the bind shape %j', (bind, messages) => {
    expect(problems({ command: 'x', bind })).toEqual(messages);
  });

  it('leaves what a well-formed bind address says to parseBindSpec (ERR_EINHORN_BIND_INVALID)', () => {
    expect(refusal({ command: 'x', bind: ['::1:80'] }).code).toBe('ERR_EINHORN_BIND_INVALID');
    expect(refusal({ command: 'x', bind: [{ host: 'a', port: 70000 }] }).code).toBe(
      'ERR_EINHORN_BIND_INVALID',
    );
    expect(refusal({ command: 'x', bind: [{ host: '', port: 1 }] }).code).toBe(
      'ERR_EINHORN_BIND_INVALID',
    );
  });

  it('reports every problem at once, and a non-object as the option "options"', () => {
    expect(problems({ workers: 0, backlog: -1 })).toEqual([
      'command: expected a non-empty string (required), found undefined',
      'workers: expected an integer in [1, 1000], found 0',
      'backlog: expected an integer in [0, 65535], found -1',
    ]);
    expect(problems('node')).toEqual([
      'options: expected an object or undefined, found "node"',
      'command: expected a non-empty string (required), found undefined',
    ]);
  });
});
