import { EinhornShutdownError } from '@einhorn/core';
import { publishShutdown } from '../diagnostics.ts';
import { exitCodes } from '../exit-codes.ts';
import { processState } from './process-state.ts';
import type { ShutdownRegistration, WorkerProcessState } from './process-state.ts';

type Outcome = 'drained' | 'failed' | 'timedOut';

function runRegistration(
  registration: ShutdownRegistration,
  signal: NodeJS.Signals,
  controller: AbortController,
): Promise<Outcome> {
  const deadline = Date.now() + registration.timeoutMs;
  return new Promise<Outcome>((resolve) => {
    const timer = setTimeout(() => {
      publishShutdown({ phase: 'timeout', timeoutMs: registration.timeoutMs });
      registration.onTimeout?.(registration.timeoutMs);
      controller.abort(
        new EinhornShutdownError(
          'ERR_EINHORN_SHUTDOWN_TIMEOUT',
          `Expected the shutdown handler to finish within ${registration.timeoutMs} ms of ${signal}, but it was still running; raise timeoutMs or close long-lived connections sooner.`,
          { details: { timeoutMs: registration.timeoutMs, signal } },
        ),
      );
      resolve('timedOut');
    }, registration.timeoutMs);
    const settle = (outcome: Outcome): void => {
      clearTimeout(timer);
      resolve(outcome);
    };
    Promise.resolve()
      .then(() => registration.handler({ signal, deadline, abortSignal: controller.signal }))
      .then(
        () => {
          settle('drained');
        },
        (error: unknown) => {
          publishShutdown({ phase: 'handler-error', error });
          settle('failed');
        },
      );
  });
}

function exitCodeOf(outcomes: readonly Outcome[]): number {
  if (outcomes.includes('timedOut')) return exitCodes.timedOut;
  if (outcomes.includes('failed')) return exitCodes.failed;
  return exitCodes.drained;
}

function force(state: WorkerProcessState, signal: NodeJS.Signals): void {
  const episode = state.episode;
  if (episode === undefined || episode.forced) return;
  episode.forced = true;
  publishShutdown({ phase: 'forced', signal });
  const reason = new EinhornShutdownError(
    'ERR_EINHORN_SHUTDOWN_TIMEOUT',
    `Expected one ${episode.signal} to drain the worker, but ${signal} arrived while draining; exiting at once.`,
    { details: { signal, first: episode.signal } },
  );
  for (const controller of episode.controllers) controller.abort(reason);
  if ([...state.registrations].some((registration) => registration.exit)) {
    publishShutdown({ phase: 'done', exitCode: exitCodes.forced, exiting: true });
    process.exit(exitCodes.forced);
  }
}

/** Runs every registration that listens for `signal`; a signal during a shutdown forces the exit. */
export function handleSignal(signal: NodeJS.Signals): void {
  const state = processState();
  if (state.episode !== undefined) {
    force(state, signal);
    return;
  }
  const started = [...state.registrations].filter((registration) =>
    registration.signals.includes(signal),
  );
  if (started.length === 0) return;
  const episode = {
    signal,
    startedAt: Date.now(),
    controllers: started.map(() => new AbortController()),
    forced: false,
  };
  state.episode = episode;
  const firstDeadline = Math.min(
    ...started.map((registration) => episode.startedAt + registration.timeoutMs),
  );
  publishShutdown({ phase: 'start', signal, deadline: firstDeadline, handlers: started.length });
  const runs = started.map((registration, i) =>
    runRegistration(registration, signal, episode.controllers[i] ?? new AbortController()),
  );
  void Promise.all(runs).then((outcomes) => {
    if (episode.forced) return;
    const exitCode = exitCodeOf(outcomes);
    const exiting = started.some((registration) => registration.exit);
    publishShutdown({ phase: 'done', exitCode, exiting });
    if (exiting) process.exit(exitCode);
  });
}

/** Adds a registration and references its signals' process listeners; returns the removal. */
export function register(registration: ShutdownRegistration): () => void {
  const state = processState();
  state.registrations.add(registration);
  for (const signal of registration.signals) {
    const existing = state.listeners.get(signal);
    if (existing !== undefined) {
      existing.refs += 1;
      continue;
    }
    const listener = (received: NodeJS.Signals): void => {
      handleSignal(received);
    };
    state.listeners.set(signal, { listener, refs: 1 });
    process.on(signal, listener);
  }
  let removed = false;
  return () => {
    if (removed) return;
    removed = true;
    state.registrations.delete(registration);
    for (const signal of registration.signals) {
      const entry = state.listeners.get(signal);
      if (entry === undefined) continue;
      entry.refs -= 1;
      if (entry.refs === 0) {
        process.off(signal, entry.listener);
        state.listeners.delete(signal);
      }
    }
  };
}
