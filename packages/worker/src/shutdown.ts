import { constants } from 'node:os';
import { register } from './internal/shutdown-coordinator.ts';
import { processState } from './internal/process-state.ts';
import { OptionsValidator } from './internal/validate.ts';
import type { ShutdownHandler, ShutdownOptions } from './types.ts';

/**
 * Every signal a platform sends to stop a server: einhorn (`USR2`; `TERM` when its master gets
 * `TERM`), Kubernetes and systemd (`TERM`), a terminal (`INT`). All of them drain.
 */
const DEFAULT_SIGNALS: readonly NodeJS.Signals[] = ['SIGUSR2', 'SIGTERM', 'SIGINT'];
const DEFAULT_TIMEOUT_MS = 30_000;

/** Signals a shutdown may not use, and why. */
const REFUSED_SIGNALS: Readonly<Partial<Record<string, string>>> = {
  SIGUSR1: 'Node reserves SIGUSR1 for the inspector',
  SIGKILL: 'SIGKILL cannot be caught',
  SIGSTOP: 'SIGSTOP cannot be caught',
  SIGSEGV: 'Node cannot run JavaScript safely after SIGSEGV',
  SIGBUS: 'Node cannot run JavaScript safely after SIGBUS',
  SIGFPE: 'Node cannot run JavaScript safely after SIGFPE',
  SIGILL: 'Node cannot run JavaScript safely after SIGILL',
};

function validate(handler: unknown, options: ShutdownOptions): readonly NodeJS.Signals[] {
  const v = new OptionsValidator(options);
  if (typeof handler !== 'function') v.fail('handler', 'a function', handler);
  v.integer('timeoutMs', 1, 2 ** 31 - 1);
  v.boolean('exit');
  v.func('onTimeout');
  const signals = v.value('signals') ?? DEFAULT_SIGNALS;
  if (!Array.isArray(signals) || signals.length === 0) {
    v.fail('signals', 'a non-empty array of signal names');
  } else {
    for (const signal of signals as unknown[]) {
      const refused = typeof signal === 'string' ? REFUSED_SIGNALS[signal] : undefined;
      if (typeof signal !== 'string' || !(signal in constants.signals))
        v.fail('signals', 'signal names such as "SIGUSR2" or "SIGTERM"', signal);
      else if (refused !== undefined)
        v.fail('signals', `a catchable signal other than ${signal} (${refused})`, signal);
    }
  }
  v.throwIfInvalid('onGracefulShutdown() options');
  return [...new Set(signals as NodeJS.Signals[])];
}

/**
 * Runs `handler` when this worker is asked to stop (`SIGUSR2` from einhorn, docs/reference/protocol.md, "Shutdown contract";
 * `SIGTERM` from einhorn's `TERM`, Kubernetes or systemd; `SIGINT` from a terminal), bounded
 * by a deadline, then exits the process: {@link exitCodes}.drained (0) when every handler
 * finished in time, `failed` (1) when one threw, `timedOut` (3) after the deadline (the event's
 * `abortSignal` fires first so that leftovers can be destroyed), and `forced` (4) at once on a
 * second signal.
 *
 * Several registrations share one process listener per signal; a signal starts all of them
 * together, and the process exits when all have settled. Call it before {@link ack}, so that
 * a worker that is told to stop right after its ACK drains instead of dying (check 32).
 * Nothing is installed at import time.
 *
 * @param handler - stops accepting and finishes in-flight work; may be async.
 * @param options - see {@link ShutdownOptions}.
 * @returns a function that removes this registration (and the process listener once unused).
 *   A shutdown that has already started keeps running.
 * @throws EinhornError `ERR_EINHORN_INVALID_OPTIONS` for a missing handler, an unknown or
 *   uncatchable signal, `SIGUSR1`, or a non-positive `timeoutMs`.
 * @example
 * ```ts
 * const uninstall = onGracefulShutdown(async ({ abortSignal }) => {
 *   abortSignal.addEventListener('abort', () => queue.cancelAll());
 *   await queue.drain();
 * }, { timeoutMs: 10_000 });
 * ```
 */
export function onGracefulShutdown(
  handler: ShutdownHandler,
  options: ShutdownOptions = {},
): () => void {
  const signals = validate(handler, options);
  return register({
    handler,
    signals,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    exit: options.exit ?? true,
    onTimeout: options.onTimeout,
  });
}

/**
 * Whether a graceful shutdown has started in this process (a handled signal arrived).
 * Readiness checks use it to turn unhealthy while draining.
 *
 * @returns `true` from the first handled signal on.
 * @example
 * ```ts
 * app.get('/ready', (req, res) => res.sendStatus(isShuttingDown() ? 503 : 200));
 * ```
 */
export function isShuttingDown(): boolean {
  return processState().episode !== undefined;
}
