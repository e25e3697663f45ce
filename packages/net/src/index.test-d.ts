import type { Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { WorkerContext } from '@einhorn/worker';
import { describe, expectTypeOf, it } from 'vitest';
import { serve, trackConnections } from './index.ts';
import type { ConnectionTracker, ServeHandle, ServeOptions, ServeState } from './index.ts';

describe('types', () => {
  it('serve keeps the server type in its handle', () => {
    expectTypeOf(serve<HttpServer>).returns.resolves.toEqualTypeOf<ServeHandle<HttpServer>>();
    expectTypeOf<ServeHandle<HttpsServer>['server']>().toEqualTypeOf<HttpsServer>();
  });

  it('the handle exposes identity and drain state', () => {
    expectTypeOf<ServeHandle['context']>().toEqualTypeOf<WorkerContext | undefined>();
    expectTypeOf<ServeHandle['state']>().toEqualTypeOf<ServeState>();
    expectTypeOf<ServeHandle['closed']>().toEqualTypeOf<Promise<void>>();
  });

  it('serve options extend the worker options', () => {
    expectTypeOf<ServeOptions['backlog']>().toEqualTypeOf<number | 'inherit' | undefined>();
    expectTypeOf<ServeOptions['ack']>().toEqualTypeOf<'auto' | 'manual' | undefined>();
  });

  it('trackConnections returns a ConnectionTracker', () => {
    expectTypeOf(trackConnections).returns.toEqualTypeOf<ConnectionTracker>();
  });
});
