// SIGKILLs a running master and watches its workers: shared by master-death.test.ts and
// scripts/chaos-master-death.mjs.
import { readFileSync } from 'node:fs';
import { isAlive, until } from './master-process.ts';
import type { RunningMaster } from './master-process.ts';

export interface DeathResult {
  /** The workers alive when the master was killed. */
  readonly workers: readonly number[];
  /** Workers still alive at the end of the watch. */
  readonly survivors: readonly number[];
  /** Milliseconds from the SIGKILL to the last worker's death (when they all died). */
  readonly lastExitMs: number | undefined;
}

/** The parent pid of `pid`, from /proc (undefined once it is gone). */
export function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

/**
 * SIGKILLs the master. With `expectWorkersToDie`, waits until every worker is gone (failure
 * bound 15 s) and reports when the last one went; otherwise waits until every worker has been
 * re-parented (orphaned), which is when a pdeath-style mechanism would have acted.
 */
export async function killMasterAndWatch(
  master: RunningMaster,
  options: { readonly expectWorkersToDie: boolean },
): Promise<DeathResult> {
  const state = await master.state();
  const workers = Object.keys(state.children).map(Number);
  const killedAt = performance.now();
  process.kill(master.pid, 'SIGKILL');
  await master.exited;
  if (options.expectWorkersToDie) {
    const lastExitMs = await until(
      () => (workers.every((pid) => !isAlive(pid)) ? performance.now() - killedAt : undefined),
      'every worker to exit after the master was killed',
      15_000,
      5,
    );
    return { workers, survivors: [], lastExitMs };
  }
  await until(
    () => (workers.every((pid) => parentOf(pid) !== master.pid) ? true : undefined),
    'the workers to be re-parented',
    15_000,
    5,
  );
  return { workers, survivors: workers.filter(isAlive), lastExitMs: undefined };
}
