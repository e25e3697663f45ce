import { describe, expect, it } from 'vitest';
import { formatJsonLog, formatTextLog } from './format.ts';
import { createLogBus } from './log-bus.ts';
import type { MasterLogEntry } from '../types.ts';

const entry: MasterLogEntry = {
  level: 'info',
  message: '===> Launched 5 (index: 0)',
  tag: 'upgrade',
  time: new Date('2020-01-01T00:00:00Z'),
};

describe('log formats', () => {
  it("writes einhorn's [MASTER pid] LEVEL: msg shape", () => {
    expect(formatTextLog(entry, 12)).toBe('[MASTER 12] INFO: ===> Launched 5 (index: 0)\n');
  });

  it('writes one JSON object per line', () => {
    expect(JSON.parse(formatJsonLog(entry, 12))).toEqual({
      time: '2020-01-01T00:00:00.000Z',
      level: 'info',
      pid: 12,
      role: 'master',
      msg: '===> Launched 5 (index: 0)',
      tag: 'upgrade',
    });
  });
});

describe('createLogBus', () => {
  it('filters by verbosity but streams every upgrade-tagged line to listeners', () => {
    const seen: string[] = [];
    const streamed: string[] = [];
    const bus = createLogBus((e) => seen.push(`${e.level}:${e.message}`), 2);
    const remove = bus.onTagged((e) => streamed.push(e.message));
    bus.debug('a', 'upgrade');
    bus.info('b');
    bus.error('c');
    remove();
    bus.info('d', 'upgrade');
    expect(seen).toEqual(['error:c']);
    expect(streamed).toEqual(['a']);
  });

  it('survives a throwing logger', () => {
    const bus = createLogBus(() => {
      throw new Error('boom');
    }, 0);
    expect(() => {
      bus.info('x');
    }).not.toThrow();
  });
});
