// Reads the per-process counter files written by servers/instrument.mjs.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isAlive } from './procfs.mjs';

/** Every stats record in `dir`, keyed by pid (dead workers included: they keep their last record). */
export function readStats(dir) {
  const records = new Map();
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.json')) continue;
    try {
      const record = JSON.parse(readFileSync(join(dir, name), 'utf8'));
      records.set(record.pid, record);
    } catch {
      // being replaced right now (rename is atomic, so only a vanished file lands here)
    }
  }
  return records;
}

/** Pids of live, ready server processes in `dir`. */
export function liveWorkerPids(dir) {
  return [...readStats(dir).values()]
    .filter((record) => record.ready && record.exitCode === null && isAlive(record.pid))
    .map((record) => record.pid);
}

/** Per-pid growth of `connections` and `requests` between two `readStats` snapshots. */
export function countsDelta(before, after, pids) {
  return pids.map((pid) => {
    const a = after.get(pid);
    const b = before.get(pid);
    return {
      pid,
      connections: (a?.connections ?? 0) - (b?.connections ?? 0),
      requests: (a?.requests ?? 0) - (b?.requests ?? 0),
    };
  });
}
