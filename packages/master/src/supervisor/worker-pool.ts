import type { WorkerInfo } from '../types.ts';

/** The master's record of one live worker (einhorn's child spec). */
export interface WorkerRecord {
  readonly pid: number;
  /** EINHORN_CHILD_INDEX given at spawn. */
  readonly index: number;
  /** The master version at spawn. */
  readonly version: number;
  /** Reuseport slot, when reuseport sockets exist. */
  readonly slot: number | undefined;
  /** Spawn time: epoch ms (for display) and monotonic ms (for arithmetic). */
  readonly spawnedAt: number;
  readonly spawnedMono: number;
  acked: boolean;
  ackedMono?: number;
  /** Signals sent on purpose (einhorn's `signaled` set); `signal` commands are not recorded. */
  readonly signaled: Set<string>;
  lastSignaledMono?: number;
  pingedAt?: number;
  pingedMono?: number;
  pingedRequestId?: string;
  /** Timers to clear when the worker exits (ACK timer, SIGKILL escalation). */
  readonly timers: Set<NodeJS.Timeout>;
}

/** A read-only public view of a record. */
export function toWorkerInfo(record: WorkerRecord): WorkerInfo {
  return {
    pid: record.pid,
    index: record.index,
    version: record.version,
    acked: record.acked,
    signaled: [...record.signaled],
    spawnedAt: record.spawnedAt,
    ...(record.pingedAt === undefined ? {} : { pingedAt: record.pingedAt }),
    ...(record.pingedRequestId === undefined ? {} : { pingedRequestId: record.pingedRequestId }),
    ...(record.slot === undefined ? {} : { slot: record.slot }),
  };
}

/** Live workers in spawn order, with einhorn's WorkerPool queries (worker_pool.rb). */
export class WorkerPool {
  readonly #records = new Map<number, WorkerRecord>();

  add(record: WorkerRecord): void {
    this.#records.set(record.pid, record);
  }

  remove(pid: number): WorkerRecord | undefined {
    const record = this.#records.get(pid);
    this.#records.delete(pid);
    return record;
  }

  get(pid: number): WorkerRecord | undefined {
    return this.#records.get(pid);
  }

  get size(): number {
    return this.#records.size;
  }

  all(): WorkerRecord[] {
    return [...this.#records.values()];
  }

  /** Workers of the current version, signaled or not (einhorn's `modern_workers`). */
  modern(version: number): WorkerRecord[] {
    return this.all().filter((record) => record.version === version);
  }

  /** Unsignaled workers of other versions (einhorn's `old_workers`). */
  old(version: number): WorkerRecord[] {
    return this.all().filter((record) => record.signaled.size === 0 && record.version !== version);
  }

  /** ACKed, unsignaled, current-version workers (einhorn's `ack_count`). */
  ackCount(version: number): number {
    return this.all().filter((r) => r.acked && r.signaled.size === 0 && r.version === version)
      .length;
  }

  /** UnACKed, unsignaled, current-version workers (the `max_unacked` bound). */
  unackedUnsignaledModern(version: number): WorkerRecord[] {
    return this.all().filter((r) => !r.acked && r.signaled.size === 0 && r.version === version);
  }

  /** Unsignaled current-version workers, unACKed first, then oldest first (stable, unlike einhorn's sort_by). */
  unsignaledModernByCullPriority(version: number): WorkerRecord[] {
    const candidates = this.all().filter((r) => r.signaled.size === 0 && r.version === version);
    return [...candidates.filter((r) => !r.acked), ...candidates.filter((r) => r.acked)];
  }

  /** The lowest non-negative index not held by any live worker, draining ones included. */
  nextIndex(): number {
    const used = new Set(this.all().map((record) => record.index));
    let index = 0;
    while (used.has(index)) index++;
    return index;
  }

  /** The reuseport slot with the fewest unsignaled current-version workers (lowest on ties). */
  nextSlot(version: number, slots: number): number {
    const load = new Array<number>(slots).fill(0);
    for (const record of this.all()) {
      if (record.slot !== undefined && record.version === version && record.signaled.size === 0) {
        load[record.slot] = (load[record.slot] ?? 0) + 1;
      }
    }
    let best = 0;
    for (let slot = 1; slot < slots; slot++) if ((load[slot] ?? 0) < (load[best] ?? 0)) best = slot;
    return best;
  }
}
