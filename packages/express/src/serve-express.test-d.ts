import type {
  IncomingMessage,
  RequestListener,
  Server,
  ServerOptions,
  ServerResponse,
} from 'node:http';
import express from 'express';
import type { Request, RequestHandler, Response } from 'express';
import { describe, expectTypeOf, it } from 'vitest';
import type { ServeHandle } from '@einhorn/net';
import { createHealthHandler, exposeWorkerInfo, getWorkerInfo, serveExpress } from './index.ts';
import type { ServeExpressOptions, WorkerInfo } from './index.ts';

describe('@einhorn/express types', () => {
  it('serveExpress accepts an Express app and a plain request listener', () => {
    expectTypeOf(serveExpress(express())).toEqualTypeOf<Promise<ServeHandle<Server>>>();
    expectTypeOf(
      serveExpress((_req: IncomingMessage, res: ServerResponse) => res.end()),
    ).toEqualTypeOf<Promise<ServeHandle<Server>>>();
    expectTypeOf(serveExpress).parameter(0).toEqualTypeOf<RequestListener>();
    // @ts-expect-error an object is not a request listener
    void serveExpress({ listen: () => undefined });
  });

  it('takes every serve() option plus serverOptions', () => {
    void serveExpress(express(), {
      fallback: { port: 3000 },
      idleGraceMs: 500,
      timeoutMs: 10_000,
      ack: 'manual',
      serverOptions: { requestTimeout: 5_000 },
    });
    expectTypeOf<ServeExpressOptions['serverOptions']>().toEqualTypeOf<ServerOptions | undefined>();
    // @ts-expect-error ack is 'auto' or 'manual'
    void serveExpress(express(), { ack: 'onListen' });
  });

  it('its middleware and handlers mount on Express without Express types in their signatures', () => {
    const app = express();
    app.use(exposeWorkerInfo());
    app.get('/healthz', createHealthHandler());
    const asHandler: RequestHandler = exposeWorkerInfo();
    expectTypeOf(asHandler).toBeFunction();
    app.get('/', (req: Request, res: Response) => {
      expectTypeOf(getWorkerInfo(req)).toEqualTypeOf<WorkerInfo>();
      res.send(String(getWorkerInfo(req).childIndex));
    });
  });

  it('WorkerInfo is read-only', () => {
    const info = {} as WorkerInfo;
    expectTypeOf(info.pid).toEqualTypeOf<number>();
    expectTypeOf(info.childIndex).toEqualTypeOf<number | undefined>();
    // @ts-expect-error isDraining is a read-only view of the drain state
    info.isDraining = true;
  });
});
