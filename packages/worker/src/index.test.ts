import { describe, expect, it } from 'vitest';
import * as api from './index.ts';

describe('public API', () => {
  it('exports exactly these names (update on purpose, never by accident)', () => {
    expect(Object.keys(api).sort()).toEqual([
      'ack',
      'channels',
      'einhorn',
      'exitCodes',
      'getWorkerContext',
      'isEinhornWorker',
      'isShuttingDown',
      'listenOnFd',
      'onGracefulShutdown',
      'ping',
      'safeAck',
      'safeGetWorkerContext',
    ]);
  });

  it('names the diagnostics channels einhorn:worker:* and documents the exit codes', () => {
    expect(api.channels).toEqual({
      ack: 'einhorn:worker:ack',
      shutdown: 'einhorn:worker:shutdown',
      adopt: 'einhorn:worker:adopt',
    });
    expect(api.exitCodes).toEqual({ drained: 0, failed: 1, timedOut: 3, forced: 4 });
    expect(
      Object.isFrozen(api.channels) &&
        Object.isFrozen(api.exitCodes) &&
        Object.isFrozen(api.einhorn),
    ).toBe(true);
  });

  it('the einhorn facade holds the same functions as the named exports', () => {
    expect(api.einhorn).toEqual({
      isWorker: api.isEinhornWorker,
      ensureWorker: api.getWorkerContext,
      safeContext: api.safeGetWorkerContext,
      listenOnFd: api.listenOnFd,
      ack: api.ack,
      safeAck: api.safeAck,
      ping: api.ping,
      onGracefulShutdown: api.onGracefulShutdown,
      isShuttingDown: api.isShuttingDown,
      channels: api.channels,
      exitCodes: api.exitCodes,
    });
  });

  it('installs no signal handler at import time', () => {
    expect(process.listenerCount('SIGUSR2')).toBe(0);
  });
});
