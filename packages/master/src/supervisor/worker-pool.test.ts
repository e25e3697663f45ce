import { describe, expect, it } from 'vitest';
import { poolOf, record } from './test-records.test-helpers.ts';

describe('WorkerPool', () => {
  it('gives the lowest index not held by any live worker, draining ones included (checks 3, 4)', () => {
    expect(poolOf().nextIndex()).toBe(0);
    expect(poolOf(record({ index: 0 }), record({ index: 2 })).nextIndex()).toBe(1);
    expect(poolOf(record({ index: 0, signaled: ['USR2'] }), record({ index: 1 })).nextIndex()).toBe(
      2,
    );
  });

  it('counts ACKs like einhorn: acked, unsignaled, current version', () => {
    const pool = poolOf(
      record({ acked: true, version: 1 }),
      record({ acked: true, version: 0 }),
      record({ acked: true, version: 1, signaled: ['USR2'] }),
      record({ version: 1 }),
    );
    expect(pool.ackCount(1)).toBe(1);
    expect(pool.unackedUnsignaledModern(1)).toHaveLength(1);
    expect(pool.modern(1)).toHaveLength(3);
    expect(pool.old(1)).toHaveLength(1);
  });

  it('orders cull candidates unACKed first, then oldest first', () => {
    const a = record({ acked: true });
    const b = record({ acked: false });
    const c = record({ acked: true });
    const d = record({ acked: false });
    expect(
      poolOf(a, b, c, d)
        .unsignaledModernByCullPriority(0)
        .map((r) => r.pid),
    ).toEqual([b.pid, d.pid, a.pid, c.pid]);
  });

  it('picks the least-loaded reuseport slot of the current version', () => {
    expect(poolOf().nextSlot(0, 3)).toBe(0);
    expect(poolOf(record({ slot: 0 }), record({ slot: 2 })).nextSlot(0, 3)).toBe(1);
    expect(
      poolOf(record({ slot: 0, version: 0 }), record({ slot: 1, version: 0 })).nextSlot(1, 2),
    ).toBe(0);
    expect(
      poolOf(record({ slot: 0, signaled: ['USR2'] }), record({ slot: 1 })).nextSlot(0, 2),
    ).toBe(0);
  });
});
