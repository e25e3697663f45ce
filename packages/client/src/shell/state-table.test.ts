import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDuration, renderStateTable } from './state-table.ts';
import { parseStateView } from './state-view.ts';

// einhorn 1.1.1's `state` message as written: two ACKed workers behind one bound port, and one captured with
// a worker signalled by `dec` (its Set holds USR2) and every worker pinged (`req-7`).
const fixture = (name: string): string =>
  readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8');

const NOW = Date.UTC(2025, 0, 1, 12, 0, 0);

describe('parseStateView', () => {
  it('reads the master state (camelCase, ms timestamps), wrapped or not', () => {
    const state = {
      pid: 4242,
      version: 3,
      generation: 0,
      upgrading: false,
      workersTarget: 2,
      boundPorts: [8080],
      workers: [
        {
          pid: 4243,
          index: 0,
          version: 3,
          acked: true,
          signaled: [],
          spawnedAt: NOW - 65_000,
          pingedAt: NOW - 3_000,
          pingedRequestId: 'req-42',
        },
        {
          pid: 4250,
          index: 1,
          version: 2,
          acked: false,
          signaled: ['USR2'],
          spawnedAt: NOW - 4_000,
        },
      ],
    };
    const view = parseStateView(JSON.stringify(state));
    expect(view).toEqual(parseStateView(JSON.stringify({ state })));
    expect(view).toMatchObject({
      masterPid: 4242,
      version: 3,
      workersTarget: 2,
      upgrading: false,
    });
    expect(view?.workers[0]).toEqual({
      pid: 4243,
      index: 0,
      version: 3,
      acked: true,
      signaled: [],
      spawnedAtMs: NOW - 65_000,
      pingedAtMs: NOW - 3_000,
      pingedRequestId: 'req-42',
    });
  });

  it('reads an einhorn-like dump (children by pid, seconds, config.number), skipping non-workers', () => {
    const view = parseStateView(
      JSON.stringify({
        state: {
          children: {
            '17': {
              type: 'worker',
              version: 1,
              acked: true,
              signaled: {},
              index: 0,
              spinup_time: NOW / 1000 - 10,
              pinged_at: '2025-01-01T11:59:58Z',
              pinged_request_id: 'r',
            },
            '18': { type: 'state_passer' },
          },
          config: { number: 4 },
          version: 1,
          upgrading: true,
        },
      }),
    );
    expect(view).toMatchObject({
      workersTarget: 4,
      version: 1,
      upgrading: true,
      masterPid: undefined,
    });
    expect(view?.workers).toEqual([
      {
        pid: 17,
        index: 0,
        version: 1,
        acked: true,
        signaled: [],
        spawnedAtMs: NOW - 10_000,
        pingedAtMs: NOW - 2_000,
        pingedRequestId: 'r',
      },
    ]);
  });

  it('reads einhorn 1.1.1 YAML (Symbol keys, Integer pids, Set, Time, aliases)', () => {
    const view = parseStateView(fixture('einhorn-1.1.1-state.yaml'));
    expect(view).toEqual({
      masterPid: undefined,
      version: 0,
      workersTarget: 2,
      upgrading: false,
      breaker: undefined,
      workers: [
        {
          pid: 19782,
          index: 0,
          version: 0,
          acked: true,
          signaled: [],
          spawnedAtMs: Date.parse('2026-12-06T16:18:08.319Z'),
          pingedAtMs: undefined,
          pingedRequestId: undefined,
        },
        {
          pid: 19783,
          index: 1,
          version: 0,
          acked: true,
          signaled: [],
          spawnedAtMs: Date.parse('2026-12-06T16:18:08.330Z'),
          pingedAtMs: undefined,
          pingedRequestId: undefined,
        },
      ],
    });
  });

  it('renders a signalled, pinged einhorn 1.1.1 state as the table', () => {
    const view = parseStateView(fixture('einhorn-1.1.1-state-signaled.yaml'))!;
    expect(renderStateTable(view, Date.parse('2026-12-06T21:25:13.000Z'))).toBe(
      [
        'master pid: ?  version: 0  workers target: 2  upgrading: no',
        'PID    INDEX  VERSION  ACKED  SIGNALED  AGE  LAST PING',
        '30533  0      0        yes    USR2      59s  57s ago (req-7)',
        '30537  1      0        yes    -         59s  57s ago (req-7)',
        '30539  2      0        yes    -         59s  57s ago (req-7)',
      ].join('\n'),
    );
  });

  it('reads the tripped circuit breaker einhorn-node reports (halted), JSON or YAML', () => {
    const json = parseStateView(
      JSON.stringify({
        master_pid: 9,
        version: 2,
        upgrading: true,
        halted: { version: 2, failed_starts: 3 },
        config: { number: 1 },
        children: {},
      }),
    );
    const yaml = parseStateView(
      '---\n:state:\n  :children: {}\n  :version: 2\n  :upgrading: true\n  :halted:\n    :version: 2\n    :failed_starts: 3\n',
    );
    expect(json?.breaker).toEqual({ version: 2, failedStarts: 3 });
    expect(yaml?.breaker).toEqual({ version: 2, failedStarts: 3 });
    expect(parseStateView('{"children":{},"halted":null}')?.breaker).toBeUndefined();
    expect(
      parseStateView('{"children":{},"circuit_breaker":{"tripped":true,"version":4}}')?.breaker,
    ).toEqual({ version: 4, failedStarts: undefined });
    expect(
      parseStateView('{"children":{},"circuit_breaker":{"tripped":false}}')?.breaker,
    ).toBeUndefined();
  });

  it.each([
    ['--- !ruby/object:Gem::Installer\ni: x\n'],
    ['---\n:state:\n  :foo: 1\n'],
    ['{"message": "not a state"}'],
    ['{broken'],
    ['[1,2]'],
    [''],
  ])('is undefined for %j (printed verbatim instead)', (message) => {
    expect(parseStateView(message)).toBeUndefined();
  });
});

describe('renderStateTable', () => {
  it('prints a header and aligned worker rows', () => {
    const view = parseStateView(
      JSON.stringify({
        pid: 4242,
        version: 3,
        upgrading: true,
        workersTarget: 2,
        workers: [
          {
            pid: 4243,
            index: 0,
            version: 3,
            acked: true,
            signaled: [],
            spawnedAt: NOW - 65_000,
            pingedAt: NOW - 3_000,
            pingedRequestId: 'req-42',
          },
          {
            pid: 123456,
            index: 12,
            version: 2,
            acked: false,
            signaled: ['USR2', 'KILL'],
            spawnedAt: NOW - 7_384_000,
          },
        ],
      }),
    )!;
    expect(renderStateTable(view, NOW)).toBe(
      [
        'master pid: 4242  version: 3  workers target: 2  upgrading: yes',
        'PID     INDEX  VERSION  ACKED  SIGNALED   AGE    LAST PING',
        '4243    0      3        yes    -          1m05s  3s ago (req-42)',
        '123456  12     2        no     USR2,KILL  2h03m  -',
      ].join('\n'),
    );
  });

  it('shows a tripped breaker, and an upgrade it stopped as failed', () => {
    const view = parseStateView(
      '{"master_pid":9,"version":2,"upgrading":true,"halted":{"version":2,"failed_starts":3},"config":{"number":1},"children":{}}',
    )!;
    expect(renderStateTable(view, NOW)).toBe(
      [
        'master pid: 9  version: 2  workers target: 1  upgrading: failed',
        'circuit breaker: tripped: version 2 is no longer spawned after 3 workers in a row died before ACKing; fix the program and run "upgrade"',
        '(no workers)',
      ].join('\n'),
    );
  });

  it('says so when there are no workers, and shows unknown fields as ?', () => {
    expect(renderStateTable(parseStateView('{"workers":[]}')!, NOW)).toBe(
      'master pid: ?  version: ?  workers target: ?  upgrading: ?\n(no workers)',
    );
  });

  it.each([
    [0, '0s'],
    [59_999, '59s'],
    [61_000, '1m01s'],
    [3_600_000, '1h00m'],
    [90_061_000, '1d01h'],
    [-5_000, '0s'],
  ])('formats %d ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
