import type { WorkerRecord } from './worker-pool.ts';
import { WorkerPool } from './worker-pool.ts';

let nextPid = 1000;

/** A worker record for unit tests. */
export function record(
  fields: Partial<Omit<WorkerRecord, 'signaled'>> & { signaled?: string[] } = {},
): WorkerRecord {
  const { signaled, ...rest } = fields;
  return {
    pid: nextPid++,
    index: 0,
    version: 0,
    slot: undefined,
    spawnedAt: 0,
    spawnedMono: 0,
    acked: false,
    timers: new Set(),
    ...rest,
    signaled: new Set(signaled ?? []),
  };
}

/** A pool holding `records`, in order. */
export function poolOf(...records: WorkerRecord[]): WorkerPool {
  const pool = new WorkerPool();
  for (const entry of records) pool.add(entry);
  return pool;
}
