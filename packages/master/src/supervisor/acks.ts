import type { LogBus } from '../log/log-bus.ts';
import type { RuntimeState } from '../state/runtime.ts';
import { killQuietly } from './signaling.ts';
import type { Supervisor } from './supervisor.ts';
import type { WorkerPool, WorkerRecord } from './worker-pool.ts';
import { monoNow } from '../internal/clock.ts';

/** What happened to a manual ACK; the worker only learns it when it asks for a confirmation. */
export type AckOutcome = 'acked' | 'unknown-pid' | 'already-acked' | 'timer-mode';

/** Faults the master reports as `error` events. */
export interface AckFaults {
  ackTimedOut(record: WorkerRecord, timeoutMs: number): void;
}

function ackModeText(state: RuntimeState): string {
  const { ack } = state.config;
  return ack.mode === 'timer' ? `{type: timer, timeout: ${ack.afterMs / 1000}}` : '{type: manual}';
}

/** ACKs (timer and manual), the manual-mode ACK deadline and the opt-in ping watchdog. */
export class AckTracker {
  constructor(
    private readonly pool: WorkerPool,
    private readonly state: RuntimeState,
    private readonly deps: {
      readonly supervisor: Supervisor;
      readonly log: LogBus;
      readonly faults: AckFaults;
    },
  ) {}

  readonly #watchdogs = new WeakMap<WorkerRecord, NodeJS.Timeout>();

  #timer(record: WorkerRecord, delayMs: number, run: () => void): NodeJS.Timeout {
    const timer = setTimeout(() => {
      record.timers.delete(timer);
      if (this.pool.get(record.pid) === record) run();
    }, delayMs);
    record.timers.add(timer);
    return timer;
  }

  /** Arms the timer ACK (`-m SECONDS`) or the manual ACK deadline of a new worker. */
  armSpawnTimers(record: WorkerRecord): void {
    const { ack } = this.state.config;
    if (ack.mode === 'timer') {
      this.#timer(record, ack.afterMs, () => {
        if (!record.acked) this.deps.supervisor.markAcked(record, 'timer');
      });
    } else if (ack.timeoutMs > 0) {
      this.#timer(record, ack.timeoutMs, () => {
        if (record.acked || record.signaled.size > 0) return;
        this.deps.log.error(
          `Worker ${record.pid} did not ACK within ${ack.timeoutMs / 1000}s; killing it and counting it as a failed start.`,
          'upgrade',
        );
        record.signaled.add('KILL');
        killQuietly(record.pid, 'SIGKILL');
        this.deps.faults.ackTimedOut(record, ack.timeoutMs);
      });
    }
  }

  /** A `worker:ack` from the command socket (einhorn's `register_manual_ack`). */
  manualAck(pid: number): AckOutcome {
    if (this.state.config.ack.mode !== 'manual') {
      this.deps.log.error(
        `Received a manual ACK for ${pid}, but ack_mode is ${ackModeText(this.state)}. Ignoring ACK.`,
      );
      return 'timer-mode';
    }
    const record = this.pool.get(pid);
    if (!record) {
      this.deps.log.error(`Could not find state for PID ${pid}; ignoring ACK.`);
      return 'unknown-pid';
    }
    if (record.acked) {
      this.deps.log.error(`Pid ${pid} already ACKed; ignoring new ACK.`);
      return 'already-acked';
    }
    this.deps.supervisor.markAcked(record, 'manual');
    return 'acked';
  }

  /** A `worker:ping`: recorded for `state`; re-arms the watchdog when `pingTimeoutMs` is set. */
  ping(pid: number, requestId: string): boolean {
    const record = this.pool.get(pid);
    if (!record) {
      this.deps.log.error(`Could not find state for PID ${pid}; ignoring ping.`);
      return false;
    }
    record.pingedAt = Date.now();
    record.pingedMono = monoNow();
    record.pingedRequestId = requestId;
    const timeoutMs = this.state.config.pingTimeoutMs;
    if (timeoutMs > 0) {
      const previous = this.#watchdogs.get(record);
      if (previous) {
        clearTimeout(previous);
        record.timers.delete(previous);
      }
      const watchdog = this.#timer(record, timeoutMs, () => {
        if (record.signaled.has('KILL')) return;
        this.deps.log.error(
          `Worker ${pid} has not pinged for ${timeoutMs / 1000}s (last request_id ${requestId}); it looks wedged, sending SIGKILL.`,
        );
        record.signaled.add('KILL');
        killQuietly(pid, 'SIGKILL');
      });
      this.#watchdogs.set(record, watchdog);
    }
    return true;
  }
}
