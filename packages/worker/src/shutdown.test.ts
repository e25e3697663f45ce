import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { isEinhornError } from '@einhorn/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { channels } from './diagnostics.ts';
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
    expect(invalidOption(() => onGracefulShutdown(() => undefined, { timeoutMs: 0 }))).toBe('0');
    // @ts-expect-error -- not a function
    expect(invalidOption(() => onGracefulShutdown('drain'))).toBe('"drain"');
  });
});
