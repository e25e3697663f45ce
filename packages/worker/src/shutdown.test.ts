import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { once } from 'node:events';
import { isEinhornError } from '@einhorn/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { channels } from './diagnostics.ts';
import { handleSignal } from './internal/shutdown-coordinator.ts';
import { processState } from './internal/process-state.ts';
import { isShuttingDown, onGracefulShutdown } from './shutdown.ts';
import type { ShutdownEvent } from './types.ts';

// Real signals to this test process, always with `exit: false` so that the runner survives;
// the exiting paths (exit codes 0/1/3/4) run against child processes in test/worker.
const STATE_KEY = Symbol.for('einhorn.worker.state');
const uninstalls: (() => void)[] = [];

beforeEach(() => {
  Reflect.deleteProperty(globalThis, STATE_KEY);
});
afterEach(() => {
  for (const uninstall of uninstalls.splice(0)) uninstall();
});

function install(...args: Parameters<typeof onGracefulShutdown>): () => void {
  const uninstall = onGracefulShutdown(...args);
  uninstalls.push(uninstall);
  return uninstall;
}

/** Records every einhorn:worker:shutdown message until the returned `stop` is called. */
function recordShutdown(): { messages: Record<string, unknown>[]; stop: () => void } {
  const messages: Record<string, unknown>[] = [];
  const listener = (message: unknown): void => {
    messages.push(message as Record<string, unknown>);
  };
  subscribe(channels.shutdown, listener);
  return {
    messages,
    stop: () => {
      unsubscribe(channels.shutdown, listener);
    },
  };
}

/** Sends `signal` to this process and resolves once every listener for it has run. */
async function signalSelf(signal: NodeJS.Signals): Promise<void> {
  // Added last, so it runs after the coordinator's listener.
  const delivered = once(process, signal);
  process.kill(process.pid, signal);
  await delivered;
}

/** Lets every promise reaction that is already queued run. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function invalidOption(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return isEinhornError(error, 'ERR_EINHORN_INVALID_OPTIONS')
      ? (error.details?.['found'] ?? error.details?.['option'])
      : error;
  }
  return 'accepted';
}

describe('onGracefulShutdown', () => {
  it('installs nothing until called, then one listener per signal, and the returned function removes it', () => {
    const before = process.listenerCount('SIGUSR2');
    const first = install(() => undefined, { exit: false });
    const second = install(() => undefined, { exit: false, signals: ['SIGUSR2', 'SIGHUP'] });
    expect(process.listenerCount('SIGUSR2')).toBe(before + 1);
    expect(process.listenerCount('SIGHUP')).toBe(1);
    first();
    expect(process.listenerCount('SIGUSR2')).toBe(before + 1);
    second();
    second();
    expect(process.listenerCount('SIGUSR2')).toBe(before);
    expect(process.listenerCount('SIGHUP')).toBe(0);
  });

  it('runs every registration for the signal with the signal, a deadline and an AbortSignal', async () => {
    const events: ShutdownEvent[] = [];
    const seen = new Promise<void>((resolve) => {
      install(
        (event) => {
          events.push(event);
          resolve();
        },
        { exit: false, timeoutMs: 10_000 },
      );
    });
    const other = vi.fn();
    install(other, { exit: false, signals: ['SIGHUP'] });
    expect(isShuttingDown()).toBe(false);
    const before = Date.now();
    process.kill(process.pid, 'SIGUSR2');
    await seen;
    expect(isShuttingDown()).toBe(true);
    expect(events).toHaveLength(1);
    expect(events[0]?.signal).toBe('SIGUSR2');
    expect(events[0]?.deadline).toBeGreaterThanOrEqual(before + 10_000);
    expect(events[0]?.abortSignal.aborted).toBe(false);
    expect(other).not.toHaveBeenCalled();
  });

  it('at the deadline calls onTimeout and aborts with ERR_EINHORN_SHUTDOWN_TIMEOUT', async () => {
    const onTimeout = vi.fn();
    const aborted = new Promise<unknown>((resolve) => {
      install(
        ({ abortSignal }) =>
          new Promise<void>(() => {
            abortSignal.addEventListener('abort', () => {
              resolve(abortSignal.reason);
            });
          }),
        { exit: false, timeoutMs: 20, onTimeout },
      );
    });
    process.kill(process.pid, 'SIGUSR2');
    const reason = await aborted;
    expect(isEinhornError(reason, 'ERR_EINHORN_SHUTDOWN_TIMEOUT')).toBe(true);
    expect(onTimeout).toHaveBeenCalledWith(20);
  });

  it('publishes start and done on einhorn:worker:shutdown', async () => {
    const messages: { phase: string }[] = [];
    const listener = (message: unknown): void => {
      messages.push(message as { phase: string });
    };
    subscribe(channels.shutdown, listener);
    try {
      const handled = new Promise<void>((resolve) => {
        install(
          () => {
            resolve();
          },
          { exit: false },
        );
      });
      process.kill(process.pid, 'SIGUSR2');
      await handled;
      await vi.waitFor(() => {
        expect(messages.map((m) => m.phase)).toEqual(['start', 'done']);
      });
      expect(messages[1]).toEqual({ phase: 'done', exitCode: 0, exiting: false });
    } finally {
      unsubscribe(channels.shutdown, listener);
    }
  });

  it('a handler that throws is reported on the channel and the outcome is exit code 1 (failed)', async () => {
    const recorder = recordShutdown();
    try {
      const failure = new Error('pool would not close');
      install(
        () => {
          throw failure;
        },
        { exit: false },
      );
      install(() => Promise.resolve(), { exit: false });
      await signalSelf('SIGUSR2');
      await vi.waitFor(() => {
        expect(recorder.messages.at(-1)).toEqual({ phase: 'done', exitCode: 1, exiting: false });
      });
      expect(recorder.messages).toContainEqual({ phase: 'handler-error', error: failure });
      expect(recorder.messages[0]).toMatchObject({
        phase: 'start',
        signal: 'SIGUSR2',
        handlers: 2,
      });
    } finally {
      recorder.stop();
    }
  });

  it('a deadline reached by any handler makes the outcome exit code 3 (timedOut)', async () => {
    const recorder = recordShutdown();
    try {
      install(() => new Promise<void>(() => undefined), { exit: false, timeoutMs: 20 });
      install(
        () => {
          throw new Error('also failed');
        },
        { exit: false },
      );
      await signalSelf('SIGUSR2');
      await vi.waitFor(() => {
        expect(recorder.messages.at(-1)).toEqual({ phase: 'done', exitCode: 3, exiting: false });
      });
      expect(recorder.messages.map((m) => m['phase'])).toEqual([
        'start',
        'handler-error',
        'timeout',
        'done',
      ]);
    } finally {
      recorder.stop();
    }
  });

  it('a second signal while draining forces: every handler is aborted at once, and a third changes nothing', async () => {
    const recorder = recordShutdown();
    try {
      let started: () => void = () => undefined;
      const running = new Promise<void>((resolve) => (started = resolve));
      const reasons: unknown[] = [];
      install(
        ({ abortSignal }) =>
          new Promise<void>((resolve) => {
            started();
            abortSignal.addEventListener('abort', () => {
              reasons.push(abortSignal.reason);
              resolve();
            });
          }),
        { exit: false, timeoutMs: 60_000 },
      );
      // A second registration, so that SIGHUP has a listener and does not end the runner.
      install(() => undefined, { exit: false, signals: ['SIGHUP'] });
      await signalSelf('SIGUSR2');
      await running;
      await signalSelf('SIGHUP');
      expect(reasons).toHaveLength(1);
      const [reason] = reasons;
      expect(isEinhornError(reason, 'ERR_EINHORN_SHUTDOWN_TIMEOUT')).toBe(true);
      expect((reason as Error).message).toBe(
        'Expected one SIGUSR2 to drain the worker, but SIGHUP arrived while draining; exiting at once.',
      );
      expect((reason as { details: unknown }).details).toEqual({
        signal: 'SIGHUP',
        first: 'SIGUSR2',
      });
      await signalSelf('SIGUSR2');
      await settle();
      // Forced: no 'done' (nothing exits with exit: false), and the third signal published nothing.
      expect(recorder.messages.map((m) => m['phase'])).toEqual(['start', 'forced']);
      expect(recorder.messages[1]).toEqual({ phase: 'forced', signal: 'SIGHUP' });
      expect(isShuttingDown()).toBe(true);
    } finally {
      recorder.stop();
    }
  });

  it('a signal that no registration listens for starts nothing', () => {
    const handler = vi.fn();
    install(handler, { exit: false });
    handleSignal('SIGHUP');
    expect(handler).not.toHaveBeenCalled();
    expect(isShuttingDown()).toBe(false);
  });

  it('defaults to exiting after 30 s, on SIGUSR2 (einhorn), SIGTERM (einhorn TERM, Kubernetes, systemd) and SIGINT (a terminal)', () => {
    const signals = ['SIGUSR2', 'SIGTERM', 'SIGINT'] as const;
    const before = signals.map((signal) => process.listenerCount(signal));
    const uninstall = onGracefulShutdown(() => undefined);
    try {
      expect([...processState().registrations]).toEqual([
        expect.objectContaining({ signals, timeoutMs: 30_000, exit: true }),
      ]);
      expect(signals.map((signal) => process.listenerCount(signal))).toEqual(
        before.map((count) => count + 1),
      );
    } finally {
      uninstall();
    }
    expect(signals.map((signal) => process.listenerCount(signal))).toEqual(before);
  });

  it('refuses SIGUSR1 (the inspector), uncatchable and unknown signals, and bad options', () => {
    expect(invalidOption(() => onGracefulShutdown(() => undefined, { signals: ['SIGUSR1'] }))).toBe(
      '"SIGUSR1"',
    );
    expect(invalidOption(() => onGracefulShutdown(() => undefined, { signals: ['SIGKILL'] }))).toBe(
      '"SIGKILL"',
    );
    // @ts-expect-error -- not a signal name
    expect(invalidOption(() => onGracefulShutdown(() => undefined, { signals: ['SIGNOPE'] }))).toBe(
      '"SIGNOPE"',
    );
    expect(invalidOption(() => onGracefulShutdown(() => undefined, { signals: [] }))).toBe('[]');
    // @ts-expect-error -- not a signal name
    expect(invalidOption(() => onGracefulShutdown(() => undefined, { signals: [15] }))).toBe('15');
    expect(invalidOption(() => onGracefulShutdown(() => undefined, { timeoutMs: 0 }))).toBe('0');
    // @ts-expect-error -- not a function
    expect(invalidOption(() => onGracefulShutdown('drain'))).toBe('"drain"');
  });
});
