import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { EinhornError } from '@einhorn/core';
import { isShuttingDown, safeGetWorkerContext } from '@einhorn/worker';
import type { WorkerContext } from '@einhorn/worker';
import type { ExposeWorkerInfoOptions, WorkerInfo, WorkerInfoMiddleware } from './types.ts';

// Process-wide and keyed with Symbol.for, so that the ESM and CJS builds (both possibly loaded)
// share it: serveExpress() from one copy, getWorkerInfo() from the other.
const REGISTRY_KEY = Symbol.for('einhorn.express.sockets');

type GlobalWithRegistry = typeof globalThis & {
  [REGISTRY_KEY]?: WeakMap<Socket, WorkerInfo>;
};

/** Which {@link WorkerInfo} each socket accepted by a `serveExpress()` server belongs to. */
export function socketRegistry(): WeakMap<Socket, WorkerInfo> {
  const holder = globalThis as GlobalWithRegistry;
  let registry = holder[REGISTRY_KEY];
  if (registry === undefined) {
    registry = new WeakMap();
    Object.defineProperty(holder, REGISTRY_KEY, {
      value: registry,
      enumerable: false,
      configurable: true,
      writable: false,
    });
  }
  return registry;
}

/** Builds the live info for one server: `isDraining` is read on every access. */
export function createWorkerInfo(
  context: WorkerContext | undefined,
  isDraining: () => boolean,
): WorkerInfo {
  return Object.freeze({
    pid: process.pid,
    childIndex: context?.childIndex,
    context,
    get isDraining() {
      return isDraining();
    },
  });
}

let processInfo: WorkerInfo | undefined;

/** For requests that did not come through serveExpress() (tests, custom servers): what this process knows. */
function infoForProcess(): WorkerInfo {
  if (processInfo === undefined) {
    const result = safeGetWorkerContext();
    processInfo = createWorkerInfo(result.success ? result.data : undefined, isShuttingDown);
  }
  return processInfo;
}

/**
 * Who is answering `req`: this worker's pid, Einhorn child index and context, and whether it
 * is draining. For a request served by {@link serveExpress} the answer comes from that call;
 * for any other request it is read from the process (`EINHORN_*` variables and the graceful
 * shutdown state of `@einhorn/worker`).
 *
 * @param req - the request (an Express `req` is one).
 * @returns the live {@link WorkerInfo}; `isDraining` is read when you access it.
 * @example
 * ```ts
 * app.get('/', (req, res) => {
 *   const { pid, childIndex } = getWorkerInfo(req);
 *   res.send(`served by ${pid} (child ${childIndex ?? '-'})`);
 * });
 * ```
 */
export function getWorkerInfo(req: IncomingMessage): WorkerInfo {
  // `req.socket` is unset only on hand-built requests (mocks); they get the process view.
  const socket = (req as { socket?: Socket | null }).socket;
  return (
    (socket === undefined || socket === null ? undefined : socketRegistry().get(socket)) ??
    infoForProcess()
  );
}

/**
 * An Express middleware (4 and 5) that puts the {@link WorkerInfo} of each request in
 * `res.locals.einhorn` (or `res.locals[key]`), for handlers and templates.
 *
 * @param options - see {@link ExposeWorkerInfoOptions}.
 * @returns the middleware.
 * @throws EinhornError `ERR_EINHORN_INVALID_OPTIONS` (synchronously, at setup) for an empty or non-string `key`.
 * @example
 * ```ts
 * app.use(exposeWorkerInfo());
 * app.get('/', (req, res) => res.send(`pid ${res.locals.einhorn.pid}`));
 * ```
 */
export function exposeWorkerInfo(options: ExposeWorkerInfoOptions = {}): WorkerInfoMiddleware {
  const key = options.key ?? 'einhorn';
  if (typeof key !== 'string' || key === '') {
    throw new EinhornError(
      'ERR_EINHORN_INVALID_OPTIONS',
      `Expected exposeWorkerInfo() option key to be a non-empty string, but found ${JSON.stringify(key)}; omit it to use 'einhorn'.`,
      {
        cause: new TypeError('key: expected a non-empty string'),
        details: { option: 'key', found: JSON.stringify(key) },
      },
    );
  }
  return (req, res, next) => {
    if (res.locals !== undefined) res.locals[key] = getWorkerInfo(req);
    next();
  };
}
