import { Server } from 'node:net';
import { EinhornShutdownError } from '@einhorn/core';
import { publishDrain } from '../diagnostics.ts';
import type {
  ConnectionTracker,
  DrainEvent,
  DrainOnShutdownOptions,
  ServeState,
} from '../types.ts';
import { netState } from './net-state.ts';

const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * One server's way from serving to closed: stop accepting, drain connections and run the
 * user's `onDrain`, whether a signal or `close()` started it.
 */
export class DrainLifecycle {
  state: ServeState = 'serving';
  /** Removes the signal handler; set once it is installed. */
  uninstall: () => void = () => undefined;
  readonly closed: Promise<void>;
  #settle: (error?: Error) => void = () => undefined;
  #drain: Promise<void> | undefined;
  readonly #server: Server;
  readonly #tracker: ConnectionTracker;
  readonly #options: DrainOnShutdownOptions;

  constructor(server: Server, tracker: ConnectionTracker, options: DrainOnShutdownOptions) {
    this.#server = server;
    this.#tracker = tracker;
    this.#options = options;
    this.closed = new Promise<void>((resolve, reject) => {
      this.#settle = (error) => {
        if (error === undefined) resolve();
        else reject(error);
      };
    });
    // `closed` may legitimately go unobserved (the process exits); never an unhandled rejection.
    this.closed.catch(() => undefined);
  }

  /** The shutdown handler: starts the drain once; later calls join it. */
  drain(event: DrainEvent): Promise<void> {
    this.#drain ??= this.#run(event);
    return this.#drain;
  }

  /** `ServeHandle.close()`: drains with this handle's own deadline, without exiting. */
  close(): Promise<void> {
    if (this.#drain === undefined) {
      const timeoutMs = this.#options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
      const controller = new AbortController();
      const timer = setTimeout(() => {
        controller.abort(
          new EinhornShutdownError(
            'ERR_EINHORN_SHUTDOWN_TIMEOUT',
            `Expected every connection to close within ${timeoutMs} ms of close(), but ${this.#tracker.connections} remained and were destroyed; raise timeoutMs or end long-lived connections in drainSocket.`,
            { details: { timeoutMs, connections: this.#tracker.connections } },
          ),
        );
      }, timeoutMs);
      void this.drain({
        trigger: 'close',
        deadline: Date.now() + timeoutMs,
        abortSignal: controller.signal,
      })
        .finally(() => {
          clearTimeout(timer);
        })
        .catch(() => undefined); // reported through `closed`
    }
    return this.closed;
  }

  async #run(event: DrainEvent): Promise<void> {
    this.state = 'draining';
    const shared = netState();
    shared.draining += 1;
    publishDrain({
      phase: 'start',
      trigger: event.trigger,
      connections: this.#tracker.connections,
      activeRequests: this.#tracker.activeRequests,
    });
    // net's close, not http's: http.Server.close() would also close idle keep-alive sockets at
    // once, resetting requests already on their way (BENCHMARKS: 64 of 64). Under Einhorn the
    // master keeps the socket listening, so no client is refused.
    if (this.#server.listening) Server.prototype.close.call(this.#server);
    const drained = this.#tracker.drain({
      ...(this.#options.idleGraceMs === undefined
        ? {}
        : { idleGraceMs: this.#options.idleGraceMs }),
      ...(this.#options.drainSocket === undefined
        ? {}
        : { drainSocket: this.#options.drainSocket }),
      signal: event.abortSignal,
    });
    // Called synchronously (inside the async wrapper), so it has run when close() returns.
    const onDrain = this.#options.onDrain;
    const hook = (async () => {
      await onDrain?.(event);
    })();
    const [, hookResult] = await Promise.allSettled([drained, hook]);
    const afterDrain = this.#options.afterDrain;
    const [afterResult] = await Promise.allSettled([
      (async () => {
        await afterDrain?.(event);
      })(),
    ]);
    shared.draining -= 1;
    this.state = 'closed';
    const timedOut = event.abortSignal.aborted;
    publishDrain({ phase: 'done', outcome: timedOut ? 'timed-out' : 'drained' });
    const error = timedOut
      ? (event.abortSignal.reason as Error)
      : hookResult.status === 'rejected'
        ? (hookResult.reason as Error)
        : afterResult.status === 'rejected'
          ? (afterResult.reason as Error)
          : undefined;
    // Drained: a later signal gets its default action again (a running shutdown is unaffected).
    this.uninstall();
    this.#settle(error);
    if (error !== undefined) throw error;
  }
}
