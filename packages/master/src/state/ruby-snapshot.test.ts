import { beforeAll, describe, expect, it } from 'vitest';
import { psychDump } from '../psych/dump.ts';
import { poolOf, record } from '../supervisor/test-records.test-helpers.ts';
import { resolveMasterOptions } from '../options.ts';
import { toRubyState } from './ruby-snapshot.ts';
import { createRuntimeState, runtimeConfigFrom } from './runtime.ts';

beforeAll(() => {
  process.env['TZ'] = 'UTC';
});

function yamlOf(
  options: Parameters<typeof resolveMasterOptions>[0],
  edit: (s: ReturnType<typeof createRuntimeState>) => void = () => undefined,
): string {
  const resolved = resolveMasterOptions(options);
  const state = createRuntimeState(runtimeConfigFrom(resolved));
  edit(state);
  const worker = record({ pid: 77, acked: true, spawnedMono: 5, signaled: ['USR2'] });
  worker.lastSignaledMono = 6;
  return psychDump(
    toRubyState({
      pid: 4242,
      state,
      pool: poolOf(worker),
      boundPorts: [8080],
      bindFds: [9],
      verbosity: 1,
      commandSocketPath: '/run/e.sock',
      options: resolved,
    }),
  );
}

describe('toRubyState (Appendix A fields, einhorn-node extras)', () => {
  it('writes a tripped circuit breaker with when, which version and why', () => {
    const at = Date.parse('2026-12-06T16:00:00.000Z');
    const text = yamlOf({ command: 'node', bind: ['127.0.0.1:8080,r'] }, (state) => {
      state.halted = { version: 1, failedStarts: 3, at };
    });
    expect(text).toContain(
      [
        '  :circuit_breaker:',
        '    :tripped: true',
        '    :since: 2026-12-06 16:00:00.000000000 +00:00',
        '    :version: 1',
        '    :failed_starts: 3',
        '    :reason: 3 workers of version 1 in a row died before ACKing; version 1 is no longer',
        '      spawned until the next upgrade.',
      ].join('\n'),
    );
    expect(text).toContain('  :bind:\n  - - 127.0.0.1\n    - 8080\n    - - r\n');
  });

  it('control: an untripped breaker is all nil, and the signalled child shows its Set and time', () => {
    const text = yamlOf({ command: 'node', bind: ['/tmp/app.sock'], killTimeoutMs: 2500 });
    expect(text).toContain(
      '  :circuit_breaker:\n    :tripped: false\n    :since:\n    :version:\n    :failed_starts:\n    :reason:\n',
    );
    expect(text).toMatch(
      /:signaled: !ruby\/object:Set\n {8}hash:\n {10}USR2: true\n {6}:last_signaled_at: \d{4}-/,
    );
    expect(text).toContain('  :bind:\n  - - "/tmp/app.sock"\n    -\n    - []\n');
    expect(text).toContain('  :signal_timeout: 2.5\n');
    expect(text).toContain('  :smooth_upgrade: false\n');
  });
});
