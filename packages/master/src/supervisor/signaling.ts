import type { LogBus } from '../log/log-bus.ts';
import type { WorkerPool, WorkerRecord } from './worker-pool.ts';
import { monoNow } from '../internal/clock.ts';

/** einhorn's spelling of a signal in logs and `signaled`: no `SIG` prefix. */
export function shortSignalName(signal: string): string {
  return signal.startsWith('SIG') ? signal.slice(3) : signal;
}

/** Sends a signal to a pid, ignoring a process that is already gone. */
export function killQuietly(pid: number, signal: NodeJS.Signals | number): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** What {@link signalWorkers} needs. */
export interface SignalContext {
  readonly pool: WorkerPool;
  readonly log: LogBus;
  /** SIGKILL escalation delay for recorded signals; 0 never. */
  readonly killTimeoutMs: number;
}

function armKillTimer(context: SignalContext, record: WorkerRecord, signal: string): void {
  const timer = setTimeout(() => {
    record.timers.delete(timer);
    if (context.pool.get(record.pid) !== record) return;
    context.log.info(
      `Child ${record.pid} is still active ${context.killTimeoutMs / 1000}s after ${shortSignalName(signal)}. Sending SIGKILL.`,
    );
    record.signaled.add('KILL');
    killQuietly(record.pid, 'SIGKILL');
  }, context.killTimeoutMs);
  timer.unref();
  record.timers.add(timer);
}

/**
 * einhorn's `signal_all`: sends `signal` to each worker. A recorded signal marks the worker as
 * signaled (so it no longer counts for ACKs or culling) and, with a kill timeout, schedules
 * SIGKILL; the `signal` command sends unrecorded signals.
 */
export function signalWorkers(
  context: SignalContext,
  records: readonly WorkerRecord[],
  options: { readonly signal: NodeJS.Signals; readonly record: boolean },
): void {
  const name = shortSignalName(options.signal);
  context.log.info(`Sending ${name} to [${records.map((r) => r.pid).join(', ')}]`, 'upgrade');
  for (const record of records) {
    if (options.record) {
      if (record.signaled.has(name)) {
        context.log.error(
          `Re-sending ${name} to already-signaled child ${record.pid}. It may be slow to spin down, or it may be swallowing ${name}s.`,
          'upgrade',
        );
      }
      record.signaled.add(name);
      record.lastSignaledMono = monoNow();
    }
    if (!killQuietly(record.pid, options.signal)) {
      context.log.debug(
        `Attempted to ${name} child ${record.pid} but the process does not exist`,
        'upgrade',
      );
      continue;
    }
    if (options.record && context.killTimeoutMs > 0) armKillTimer(context, record, options.signal);
  }
}
