import type { IncomingMessage, ServerOptions, ServerResponse } from 'node:http';
import type { ServeOptions } from '@einhorn/net';
import type { WorkerContext } from '@einhorn/worker';

/** Options for {@link serveExpress}: everything `serve()` from `@einhorn/net` takes, plus the server's own. */
export interface ServeExpressOptions extends ServeOptions {
  /**
   * Options for the `http.Server` that runs the app (`http.createServer(serverOptions, app)`),
   * e.g. `requestTimeout`, `headersTimeout` or `maxHeaderSize`.
   * @default {}
   */
  readonly serverOptions?: ServerOptions;
}

/** Who is answering a request: what {@link getWorkerInfo} returns and {@link exposeWorkerInfo} puts in `res.locals`. */
export interface WorkerInfo {
  /** This worker's pid. */
  readonly pid: number;
  /** `EINHORN_CHILD_INDEX`: unique among the master's live workers; `undefined` outside Einhorn. */
  readonly childIndex: number | undefined;
  /** The full worker context (fds, master pid, command socket); `undefined` outside Einhorn. */
  readonly context: WorkerContext | undefined;
  /** `true` once draining started: respond quickly, start no long work. */
  readonly isDraining: boolean;
}

/** Options for {@link exposeWorkerInfo}. */
export interface ExposeWorkerInfoOptions {
  /**
   * The `res.locals` key that receives the {@link WorkerInfo}.
   * @default 'einhorn'
   */
  readonly key?: string;
}

/** A request handler in the shape Express 4 and 5 call, written against `node:http` types only. */
export type WorkerInfoMiddleware = (
  req: IncomingMessage,
  res: ServerResponse & { locals?: Record<string, unknown> },
  next: (error?: unknown) => void,
) => void;
