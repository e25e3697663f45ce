import { describe, expect, it } from 'vitest';
import { isEinhornError } from '@einhorn/core';
import type { EinhornError } from '@einhorn/core';
import { readCliValues } from './cli-values.ts';

function refusal(single: Record<string, string>): EinhornError {
  try {
    readCliValues(single);
  } catch (error) {
    if (isEinhornError(error, 'ERR_EINHORN_INVALID_OPTIONS')) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(single)} to be refused`);
}

describe('readCliValues', () => {
  it("applies einhorn's defaults when nothing is given", () => {
    expect(readCliValues({})).toEqual({
      backlog: 100,
      ack: { mode: 'timer', afterMs: 1000 },
      workers: 1,
      secondsMs: 1000,
      signalTimeoutMs: 0,
      maxUnacked: undefined,
      maxUpgradeAdditional: undefined,
      gracefulSignal: 'SIGUSR2',
      logFormat: 'text',
      pingTimeoutMs: 0,
      maxFailedStarts: 10,
    });
  });

  it('reads every option at its bounds, in milliseconds where einhorn takes seconds', () => {
    expect(
      readCliValues({
        backlog: '65535',
        ackMode: '0',
        number: '1000',
        seconds: '.001',
        signalTimeout: '1e-3',
        maxUnacked: '1',
        maxUpgradeAdditional: '0',
        gracefulSignal: 'sigterm',
        logFormat: 'json',
        pingTimeout: '0',
        maxFailedStarts: '0',
      }),
    ).toEqual({
      backlog: 65535,
      ack: { mode: 'timer', afterMs: 0 },
      workers: 1000,
      secondsMs: 1,
      signalTimeoutMs: 1,
      maxUnacked: 1,
      maxUpgradeAdditional: 0,
      gracefulSignal: 'SIGTERM',
      logFormat: 'json',
      pingTimeoutMs: 0,
      maxFailedStarts: 0,
    });
    expect(readCliValues({ backlog: ' 0 ', number: '+2' })).toMatchObject({
      backlog: 0,
      workers: 2,
    });
  });

  it('applies --ack-timeout to manual mode only', () => {
    expect(readCliValues({ ackMode: 'manual' }).ack).toEqual({ mode: 'manual', timeoutMs: 0 });
    expect(readCliValues({ ackMode: 'manual', ackTimeout: '2.5' }).ack).toEqual({
      mode: 'manual',
      timeoutMs: 2500,
    });
    expect(readCliValues({ ackMode: '3', ackTimeout: '2.5' }).ack).toEqual({
      mode: 'timer',
      afterMs: 3000,
    });
  });

  it.each([
    [{ backlog: '-1' }, '-l/--backlog', 'an integer in [0, 65535]'],
    [{ backlog: '65536' }, '-l/--backlog', 'an integer in [0, 65535]'],
    [{ backlog: '1.5' }, '-l/--backlog', 'an integer in [0, 65535]'],
    [{ number: '1001' }, '-n/--number', 'an integer in [1, 1000]'],
    [{ ackMode: '-1' }, '-m/--ack-mode', '"manual" or a number of seconds ≥ 0'],
    [{ ackMode: 'MANUAL' }, '-m/--ack-mode', '"manual" or a number of seconds ≥ 0'],
    [{ ackTimeout: '-0.5' }, '--ack-timeout', 'a number of seconds ≥ 0'],
    [{ seconds: '-1' }, '-s/--seconds', 'a number of seconds > 0'],
    [{ seconds: '1s' }, '-s/--seconds', 'a number of seconds > 0'],
    [{ signalTimeout: '0' }, '-t/--signal-timeout', 'a number of seconds > 0'],
    [{ maxUnacked: '0' }, '--max-unacked', 'an integer ≥ 1'],
    [{ maxUpgradeAdditional: '-1' }, '--max-upgrade-additional', 'an integer ≥ 0'],
    [{ gracefulSignal: 'usr3' }, '--graceful-signal', 'a signal name such as USR2 or SIGTERM'],
    [{ logFormat: 'yaml' }, '--log-format', '"text" or "json"'],
    [{ pingTimeout: 'soon' }, '--ping-timeout', 'a number of seconds ≥ 0'],
    [{ maxFailedStarts: '-1' }, '--max-failed-starts', 'an integer ≥ 0'],
  ])('refuses %j: %s must be %s', (single, option, expected) => {
    const error = refusal(single);
    const found = JSON.stringify(Object.values(single)[0]);
    expect(error.message).toBe(
      `Expected the command line to have ${option} as ${expected}, but found ${found}; run einhorn-node --help for the syntax.`,
    );
    expect(error.details).toMatchObject({ option, found });
  });

  it('reports every bad option at once', () => {
    const error = refusal({ number: '0', seconds: 'x', logFormat: 'xml' });
    expect(error.details?.['issues']).toEqual([
      { path: '--log-format', message: 'expected "text" or "json", found "xml"' },
      {
        path: '-n/--number',
        message:
          'expected an integer in [1, 1000] (einhorn exits 0 for 0 workers; einhorn-node refuses), found "0"',
      },
      { path: '-s/--seconds', message: 'expected a number of seconds > 0, found "x"' },
    ]);
    expect((error.cause as Error).message).toMatch(/--log-format.*; -n\/--number.*; -s/);
  });
});
