import { describe, expect, it } from 'vitest';
import { decideSpinup, planCull, spinupIntervalMs } from './policy.ts';
import { poolOf, record } from './test-records.test-helpers.ts';

describe('spinupIntervalMs (einhorn backoff, check 40)', () => {
  it('is min(s·1.5^k, 30 s)', () => {
    expect(spinupIntervalMs(1000, 0)).toBe(1000);
    expect(spinupIntervalMs(200, 1)).toBe(300);
    expect(spinupIntervalMs(200, 5)).toBeCloseTo(200 * 1.5 ** 5);
    expect(spinupIntervalMs(1000, 20)).toBe(30_000);
    expect(spinupIntervalMs(1000, 3, 2000)).toBe(2000);
  });
});

describe('decideSpinup', () => {
  const limits = { target: 2, maxUnacked: 1, maxUpgradeAdditional: undefined };

  it('stops at max_unacked unACKed new workers (check 35)', () => {
    expect(decideSpinup(poolOf(record({ version: 1 })), 1, limits)).toMatchObject({ spawn: false });
    expect(decideSpinup(poolOf(record({ version: 1, acked: true })), 1, limits)).toEqual({
      spawn: true,
    });
  });

  it('never lets live workers exceed N + A (P20 fixed, check 37)', () => {
    const three = poolOf(
      record({ acked: true }),
      record({ acked: true }),
      record({ acked: true, version: 1 }),
    );
    expect(
      decideSpinup(three, 1, { target: 2, maxUnacked: 5, maxUpgradeAdditional: 1 }),
    ).toMatchObject({ spawn: false });
    const two = poolOf(record({ acked: true }), record({ acked: true }));
    expect(decideSpinup(two, 1, { target: 2, maxUnacked: 5, maxUpgradeAdditional: 1 })).toEqual({
      spawn: true,
    });
    expect(
      decideSpinup(two, 1, { target: 2, maxUnacked: 5, maxUpgradeAdditional: 0 }),
    ).toMatchObject({ spawn: false });
  });
});

describe('planCull', () => {
  const base = {
    version: 1,
    target: 2,
    upgrading: true,
    smooth: true,
    maxUpgradeAdditional: undefined,
  };

  it('finishes the upgrade once N new workers ACKed, then retires every old one', () => {
    const oldA = record({ version: 0, acked: true });
    const oldB = record({ version: 0, acked: true });
    const plan = planCull(
      poolOf(oldA, oldB, record({ version: 1, acked: true }), record({ version: 1, acked: true })),
      base,
    );
    expect(plan.finishUpgrade).toBe(true);
    expect(plan.retireReason).toBe('all');
    expect(plan.retire.map((r) => r.pid)).toEqual([oldA.pid, oldB.pid]);
  });

  it('smooth: retires one old worker per ACKed new one (old + acked ≤ N)', () => {
    const oldA = record({ version: 0, acked: true });
    const oldB = record({ version: 0, acked: true });
    const plan = planCull(
      poolOf(oldA, oldB, record({ version: 1, acked: true }), record({ version: 1 })),
      base,
    );
    expect(plan.finishUpgrade).toBe(false);
    expect(plan.retireReason).toBe('smooth');
    expect(plan.retire.map((r) => r.pid)).toEqual([oldA.pid]);
  });

  it('smooth: prefers the old worker whose reuseport slot a new worker already serves', () => {
    const oldSlot0 = record({ version: 0, acked: true, slot: 0 });
    const oldSlot1 = record({ version: 0, acked: true, slot: 1 });
    const plan = planCull(
      poolOf(oldSlot0, oldSlot1, record({ version: 1, acked: true, slot: 1 })),
      base,
    );
    expect(plan.retire.map((r) => r.pid)).toEqual([oldSlot1.pid]);
  });

  it('fleet: touches no old worker until every new one ACKed (check 36)', () => {
    const pool = poolOf(
      record({ version: 0, acked: true }),
      record({ version: 0, acked: true }),
      record({ version: 1, acked: true }),
      record({ version: 1 }),
    );
    expect(planCull(pool, { ...base, smooth: false }).retire).toEqual([]);
  });

  it('culls surplus current-version workers, unACKed first (check 41)', () => {
    const acked = record({ acked: true, version: 1 });
    const fresh = record({ acked: false, version: 1 });
    const plan = planCull(poolOf(acked, record({ acked: true, version: 1 }), fresh), {
      ...base,
      upgrading: false,
    });
    expect(plan.excess.map((r) => r.pid)).toEqual([fresh.pid]);
  });

  it('with max_upgrade_additional 0, makes room by retiring one old worker when the pool is full and idle', () => {
    const oldA = record({ version: 0, acked: true });
    const oldB = record({ version: 0, acked: true });
    const state = { ...base, maxUpgradeAdditional: 0 };
    expect(planCull(poolOf(oldA, oldB), state)).toMatchObject({
      retireReason: 'room',
      retire: [oldA],
    });
    expect(
      planCull(poolOf(oldA, oldB, record({ version: 1 })), { ...state, target: 3 }).retire,
    ).toEqual([]);
    expect(
      planCull(poolOf(oldA, record({ version: 0, signaled: ['USR2'] })), state).retire,
    ).toEqual([]);
  });
});
