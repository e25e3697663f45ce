// The programmatic API: createMaster(options) and its events, in this process.
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isEinhornError } from '@einhorn/core';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { createMaster, MASTER_CHANNELS } from '@einhorn/master';
import type { Master, MasterLogEntry, WorkerExit, WorkerInfo } from '@einhorn/master';
import { cleanup, NODE, readEvents, tempDir, WAIT, WORKER } from './helpers.ts';

const masters: Master[] = [];
afterEach(async () => {
  for (const master of masters.splice(0)) await master.stop({ signal: 'SIGKILL' });
  await cleanup();
});

function make(dir: string, options: Partial<Parameters<typeof createMaster>[0]> = {}): Master {
  const master = createMaster({
    command: NODE,
    args: [WORKER],
    commandSocketPath: join(dir, 'api.sock'),
    env: { ...process.env, FIXTURE_DIR: dir, FIXTURE_ACK: 'manual' },
    ack: { mode: 'manual', timeoutMs: 20_000 },
    respawnBackoff: { minMs: 50 },
    ...options,
  });
  masters.push(master);
  return master;
}

describe('createMaster', () => {
  it('starts, emits worker events, upgrades, resizes and stops', async () => {
    const dir = tempDir();
    const logs: MasterLogEntry[] = [];
    const master = make(dir, {
      bind: ['127.0.0.1:0'],
      workers: 2,
      logger: (entry) => logs.push(entry),
    });
    const spawned: WorkerInfo[] = [];
    const acked: WorkerInfo[] = [];
    const exited: [WorkerInfo, WorkerExit][] = [];
    master.on('worker:spawn', (worker) => spawned.push(worker));
    master.on('worker:ack', (worker) => acked.push(worker));
    master.on('worker:exit', (worker, exit) => exited.push([worker, exit]));
    const upgraded = vi.fn();
    master.on('upgrade:done', upgraded);
    const published: unknown[] = [];
    const onExitChannel = (message: unknown): void => {
      published.push(message);
    };
    subscribe(MASTER_CHANNELS.workerExit, onExitChannel);
    await master.start();
    await vi.waitFor(() => {
      expect(acked).toHaveLength(2);
    }, WAIT);
    expect(master.state).toMatchObject({
      pid: process.pid,
      version: 0,
      workersTarget: 2,
      upgrading: false,
    });
    expect(master.state.boundPorts[0]).toBeGreaterThan(0);
    const result = await master.upgrade();
    expect(result).toEqual({ mode: 'smooth', fromVersion: 0, toVersion: 1 });
    expect(upgraded).toHaveBeenCalledWith(result);
    master.setWorkers(1);
    await vi.waitFor(() => {
      expect(master.state.workers).toHaveLength(1);
    }, WAIT);
    expect(() => {
      master.setWorkers(0);
    }).toThrow(/Expected a worker count in \[1, 1000\]/);
    await master.stop();
    expect(master.state.workers).toEqual([]);
    expect(spawned.length).toBe(4);
    expect(exited.map(([worker]) => worker.version).sort()).toEqual([0, 0, 1, 1]);
    expect(logs.some((entry) => entry.message.startsWith('===> Launched'))).toBe(true);
    expect(readEvents(dir).filter((event) => event.event === 'start')).toHaveLength(4);
    unsubscribe(MASTER_CHANNELS.workerExit, onExitChannel);
    expect(published).toHaveLength(4);
    expect(published[0]).toMatchObject({ worker: { version: 0 }, exit: { signal: null } });
    await master.closed;
  });

  it('rejects start() with ERR_EINHORN_SPAWN_FAILED when the program is missing, and closes', async () => {
    const dir = tempDir();
    const master = make(dir, { command: 'definitely-not-a-program-einhorn' });
    await expect(master.start()).rejects.toSatisfy((error: unknown) =>
      isEinhornError(error, 'ERR_EINHORN_SPAWN_FAILED'),
    );
    await master.closed;
  });

  it('rejects start() with ERR_EINHORN_BIND_FAILED when the port is taken, releasing the command socket', async () => {
    const first = make(tempDir(), { bind: ['127.0.0.1:0'] });
    await first.start();
    const port = first.state.boundPorts[0]!;
    const dir = tempDir();
    const second = make(dir, { bind: [`127.0.0.1:${port}`] });
    await expect(second.start()).rejects.toSatisfy((error: unknown) =>
      isEinhornError(error, 'ERR_EINHORN_BIND_FAILED'),
    );
    const { existsSync } = await import('node:fs');
    expect(existsSync(join(dir, 'api.sock'))).toBe(false);
  });

  it('throws ERR_EINHORN_INVALID_OPTIONS for bad options', () => {
    expect(() => createMaster({ command: 'x', workers: 0 })).toThrow(
      expect.objectContaining({ code: 'ERR_EINHORN_INVALID_OPTIONS' }),
    );
    expect(() =>
      createMaster({ command: 'x', shutdownSignal: 'SIGNOPE' as NodeJS.Signals }),
    ).toThrow(expect.objectContaining({ code: 'ERR_EINHORN_INVALID_OPTIONS' }));
    expect(() => createMaster({ command: 'x', bind: ['::1:80'] })).toThrow(
      expect.objectContaining({ code: 'ERR_EINHORN_BIND_INVALID' }),
    );
  });

  it('emits ERR_EINHORN_WORKER_ACK_TIMEOUT for a worker that never ACKs, then the circuit breaker ERR_EINHORN_SPAWN_FAILED', async () => {
    const dir = tempDir();
    const master = make(dir, {
      env: { ...process.env, FIXTURE_DIR: dir },
      ack: { mode: 'manual', timeoutMs: 300 },
      maxFailedStarts: 2,
    });
    const errors: string[] = [];
    master.on('error', (error) => errors.push(error.code));
    await master.start();
    await vi.waitFor(() => {
      expect(errors).toContain('ERR_EINHORN_WORKER_ACK_TIMEOUT');
      expect(errors).toContain('ERR_EINHORN_SPAWN_FAILED');
    }, WAIT);
    expect(master.state.halted).toEqual({ version: 0, failedStarts: 2 });
    await master.stop();
    await expect(master.upgrade()).rejects.toSatisfy((error: unknown) =>
      isEinhornError(error, 'ERR_EINHORN_UPGRADE_FAILED'),
    );
  });

  it('stops when its AbortSignal aborts', async () => {
    const dir = tempDir();
    const controller = new AbortController();
    const master = make(dir, { signal: controller.signal, ack: { mode: 'timer', afterMs: 0 } });
    await master.start();
    await vi.waitFor(() => {
      expect(master.state.workers.filter((worker) => worker.acked)).toHaveLength(1);
    }, WAIT);
    controller.abort();
    await master.closed;
    expect(master.state.respawn).toBe(false);
  });
});
