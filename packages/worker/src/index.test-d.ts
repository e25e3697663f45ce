import type { Server as HttpServer } from 'node:http';
import type { Server } from 'node:net';
import type { SafeResult } from '@einhorn/core';
import { describe, expectTypeOf, it } from 'vitest';
import { ack, getWorkerContext, listenOnFd, onGracefulShutdown, safeAck } from './index.ts';
import type { AckResult, ListenOnFdOptions, ShutdownOptions, WorkerContext } from './index.ts';

describe('types', () => {
  it('listenOnFd resolves to the server type it was given', () => {
    expectTypeOf(listenOnFd<HttpServer>).returns.resolves.toEqualTypeOf<HttpServer>();
    expectTypeOf(listenOnFd<Server>)
      .parameter(1)
      .toEqualTypeOf<ListenOnFdOptions | undefined>();
  });

  it('backlog is a number or inherit', () => {
    expectTypeOf<ListenOnFdOptions['backlog']>().toEqualTypeOf<number | 'inherit' | undefined>();
  });

  it('ack resolves an AckResult; safeAck resolves a SafeResult of it', () => {
    expectTypeOf(ack).returns.toEqualTypeOf<Promise<AckResult>>();
    expectTypeOf(safeAck).returns.resolves.toEqualTypeOf<SafeResult<AckResult, Error>>();
  });

  it('a worker context always has a master pid and a pid', () => {
    expectTypeOf(getWorkerContext()).toEqualTypeOf<WorkerContext>();
    expectTypeOf<WorkerContext['masterPid']>().toEqualTypeOf<number>();
  });

  it('shutdown signals are Node signal names and the uninstaller returns nothing', () => {
    expectTypeOf<ShutdownOptions['signals']>().toEqualTypeOf<
      readonly NodeJS.Signals[] | undefined
    >();
    expectTypeOf(onGracefulShutdown).returns.toEqualTypeOf<() => void>();
  });
});
