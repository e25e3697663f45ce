// Chaos upgrades (bounded): smooth upgrades of a real einhorn-node master under continuous HTTP
// load while workers start slowly, crash before ACKing, hang on shutdown or exit mid-request.
// The full run (20 upgrades) is `node scripts/chaos-upgrades.mjs`.
import { describe, expect, it } from 'vitest';
import { runChaos } from './chaos.ts';

const UPGRADES = Number(process.env['EINHORN_CHAOS_UPGRADES'] ?? 5);

describe('chaos upgrades', () => {
  it(`${UPGRADES} consecutive smooth upgrades under load with misbehaving workers: all complete, nothing refused, losses only where a worker dies mid-request`, async () => {
    const figures = await runChaos({
      upgrades: UPGRADES,
      workers: 2,
      concurrency: 4,
      slowStartPct: 30,
      crashBeforeAckPct: 20,
      hangOnShutdownPct: 20,
      exitMidRequestPct: 20,
      responseDelayMs: 20,
      signalTimeoutSeconds: 2,
    });
    expect(figures.upgradesCompleted).toBe(UPGRADES);
    expect(figures.leftoverOldWorkers).toEqual([]);
    expect(figures.requests.ok).toBeGreaterThan(0);
    // The master holds the listening socket from start to end: no connection is ever refused.
    expect(figures.requests.refused).toBe(0);
    expect(figures.requests.failed, JSON.stringify(figures)).toBeLessThanOrEqual(figures.lossBound);
  }, 300_000);
});
