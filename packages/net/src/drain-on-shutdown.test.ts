import { once } from 'node:events';
import { createServer, request } from 'node:http';
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isEinhornError } from '@einhorn/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { drainOnShutdown } from './drain-on-shutdown.ts';
import type { DrainHandle } from './types.ts';

const WORKER_STATE = Symbol.for('einhorn.worker.state');
const NET_STATE = Symbol.for('einhorn.net.state');
const SIGNALS = ['SIGUSR2', 'SIGTERM', 'SIGINT'] as const;
const handles: DrainHandle<HttpServer>[] = [];

beforeEach(() => {
  Reflect.deleteProperty(globalThis, WORKER_STATE);
  Reflect.deleteProperty(globalThis, NET_STATE);
});
afterEach(async () => {
  await Promise.all(handles.splice(0).map((handle) => handle.close().catch(() => undefined)));
});

function get(
  server: HttpServer,
  path: string,
): Promise<{ status: number; connection: string | undefined }> {
  return new Promise((resolve, reject) => {
    request(
      { host: '127.0.0.1', port: (server.address() as AddressInfo).port, path, agent: false },
      (res: IncomingMessage) => {
        res.resume();
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, connection: res.headers.connection });
        });
      },
    )
      .on('error', reject)
      .end();
  });
}

describe('drainOnShutdown (servers you listen yourself)', () => {
  it('installs one handler per default signal (USR2, TERM, INT), and uninstall() removes them', () => {
    const before = SIGNALS.map((signal) => process.listenerCount(signal));
    const handle = drainOnShutdown(createServer(), { exit: false });
    expect(SIGNALS.map((signal) => process.listenerCount(signal))).toEqual(
      before.map((count) => count + 1),
    );
    expect(handle.state).toBe('serving');
    handle.uninstall();
    handle.uninstall();
    expect(SIGNALS.map((signal) => process.listenerCount(signal))).toEqual(before);
  });

  it('close(): in-flight request answered with Connection: close, then afterDrain, then closed resolves', async () => {
    const order: string[] = [];
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let arrived: () => void = () => undefined;
    const arrival = new Promise<void>((resolve) => (arrived = resolve));
    const server = createServer((_req, res) => {
      arrived();
      void held.then(() => {
        res.end('ok');
        order.push('response');
      });
    });
    const handle = drainOnShutdown(server, {
      exit: false,
      onDrain: () => {
        order.push('onDrain');
      },
      afterDrain: () => {
        order.push('afterDrain');
      },
    });
    handles.push(handle);
    server.listen({ host: '127.0.0.1', port: 0 });
    await once(server, 'listening');
    const response = get(server, '/');
    await arrival;
    const closed = handle.close();
    expect(handle.isDraining).toBe(true);
    release();
    expect(await response).toEqual({ status: 200, connection: 'close' });
    await closed;
    expect(order).toEqual(['onDrain', 'response', 'afterDrain']);
    expect(handle.state).toBe('closed');
    expect(server.listening).toBe(false);
  });

  it('closed rejects with the error afterDrain threw', async () => {
    const server = createServer();
    const handle = drainOnShutdown(server, {
      exit: false,
      afterDrain: () => {
        throw new Error('pool would not close');
      },
    });
    server.listen({ host: '127.0.0.1', port: 0 });
    await once(server, 'listening');
    await expect(handle.close()).rejects.toThrow('pool would not close');
  });

  it('refuses malformed options with ERR_EINHORN_INVALID_OPTIONS and installs nothing', () => {
    const before = SIGNALS.map((signal) => process.listenerCount(signal));
    for (const options of [
      { afterDrain: 'later' },
      { idleGraceMs: -1 },
      { signals: ['SIGUSR1'] },
    ] as const) {
      let caught: unknown;
      try {
        drainOnShutdown(createServer(), options as never);
      } catch (error) {
        caught = error;
      }
      expect(isEinhornError(caught, 'ERR_EINHORN_INVALID_OPTIONS')).toBe(true);
    }
    let caught: unknown;
    try {
      drainOnShutdown({} as never);
    } catch (error) {
      caught = error;
    }
    expect((caught as { details?: { option?: string } }).details?.option).toBe('server');
    expect(SIGNALS.map((signal) => process.listenerCount(signal))).toEqual(before);
  });
});
