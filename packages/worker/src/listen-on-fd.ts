import type { Server } from 'node:net';
import { EinhornError, EinhornFdError } from '@einhorn/core';
import { getWorkerContext } from './context.ts';
import { publishAdopt } from './diagnostics.ts';
import { inspectFd } from './internal/fd-info.ts';
import { readMasterBacklog } from './internal/master-backlog.ts';
import { readSomaxconn } from './internal/systemd-env.ts';
import { OptionsValidator, checkContextOptions } from './internal/validate.ts';
import type { BacklogSource, ListenOnFdOptions, WorkerContext } from './types.ts';

/** What Node applies when no backlog is given; also our fallback when the kernel value is unknown. */
const NODE_DEFAULT_BACKLOG = 511;
const MAX_BACKLOG = 2 ** 31 - 1;

function validate(options: ListenOnFdOptions): void {
  const v = new OptionsValidator(options);
  checkContextOptions(v);
  v.integer('index', 0, 65535);
  const backlog = v.value('backlog');
  if (
    backlog !== undefined &&
    backlog !== 'inherit' &&
    !(
      typeof backlog === 'number' &&
      Number.isInteger(backlog) &&
      backlog >= 1 &&
      backlog <= MAX_BACKLOG
    )
  ) {
    v.fail('backlog', `'inherit' or an integer in [1, ${MAX_BACKLOG}]`);
  }
  v.abortSignal('signal');
  v.throwIfInvalid('listenOnFd() options');
}

function resolveFd(options: ListenOnFdOptions): {
  fd: number;
  index: number;
  context: WorkerContext;
} {
  const context = getWorkerContext(options);
  const index = options.index ?? 0;
  const fd = context.fds[index];
  if (fd === undefined) {
    const count = context.fds.length;
    throw new EinhornFdError(
      'ERR_EINHORN_FD_OUT_OF_RANGE',
      `Expected a listening socket at index ${index}, but only ${count} ${count === 1 ? 'is' : 'are'} available (${context.fdSource === 'legacy' ? 'EINHORN_FDS' : 'EINHORN_FD_COUNT'}); pass one -b per socket to the master or request a lower index.`,
      { details: { index, count } },
    );
  }
  const info = inspectFd(fd);
  if (info.kind !== 'socket') {
    const found = info.kind === 'closed' ? 'it is not open' : `it is ${info.type}`;
    throw new EinhornFdError(
      'ERR_EINHORN_FD_INVALID',
      `Expected fd ${fd} (listening socket ${index}) to be an open socket inherited from the master, but ${found}; make sure nothing between the master and this process (a wrapper, a process manager) closes or replaces inherited fds.`,
      {
        ...(info.kind === 'closed' ? { cause: info.cause } : {}),
        details: { fd, index, found: info.kind === 'closed' ? 'closed' : info.type },
      },
    );
  }
  return { fd, index, context };
}

async function resolveBacklog(
  option: number | 'inherit' | undefined,
  context: WorkerContext,
): Promise<{ backlog: number; source: BacklogSource }> {
  if (typeof option === 'number') return { backlog: option, source: 'option' };
  if (context.manager === 'systemd') {
    const somaxconn = readSomaxconn();
    return somaxconn === undefined
      ? { backlog: NODE_DEFAULT_BACKLOG, source: 'default' }
      : { backlog: somaxconn, source: 'somaxconn' };
  }
  const master = await readMasterBacklog(context.masterPid, context.sockPath);
  return master.backlog === undefined || master.backlog < 1
    ? { backlog: NODE_DEFAULT_BACKLOG, source: 'default' }
    : { backlog: master.backlog, source: master.source };
}

function listen(
  server: Server,
  { fd, backlog, signal }: { fd: number; backlog: number; signal: AbortSignal | undefined },
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const cleanup = (): void => {
      server.off('listening', onListening);
      server.off('error', onError);
      signal?.removeEventListener('abort', onAbort);
    };
    const onListening = (): void => {
      cleanup();
      resolve();
    };
    const onError = (cause: NodeJS.ErrnoException): void => {
      cleanup();
      const hint =
        cause.code === 'EEXIST'
          ? 'this fd is already adopted by another server in this process'
          : 'check that the fd is a TCP or UNIX stream socket';
      reject(
        new EinhornFdError(
          'ERR_EINHORN_FD_LISTEN_FAILED',
          `Expected server.listen({ fd: ${fd} }) to succeed, but it failed with ${cause.code ?? cause.message}; ${hint}.`,
          { cause, details: { fd, errno: cause.code ?? null } },
        ),
      );
    };
    const onAbort = (): void => {
      cleanup();
      // listen() has started: undo it, or absorb the error it will emit (unhandled, it would crash).
      if (server.listening) server.close();
      else server.once('error', () => undefined);
      reject(signal?.reason as Error);
    };
    server.once('listening', onListening);
    server.once('error', onError);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      // The documented `listen(handle, backlog, cb)` form: `options.backlog` is ignored for fds.
      server.listen({ fd }, backlog);
    } catch (cause) {
      cleanup();
      reject(
        new EinhornFdError(
          'ERR_EINHORN_FD_LISTEN_FAILED',
          `Expected server.listen({ fd: ${fd} }) to start, but it threw: ${(cause as Error).message}; pass a server that is not already listening.`,
          { cause, details: { fd } },
        ),
      );
    }
  });
}

/**
 * Makes `server` listen on a socket inherited from the Einhorn master (`EINHORN_FD_<index>`),
 * through Node's documented `server.listen({ fd })`. Works for any `net.Server`, including
 * `http.Server` and `https.Server`, on TCP and UNIX sockets.
 *
 * Before listening it checks that this process is the worker (see {@link getWorkerContext})
 * and that the fd is an open socket (`fstat`, which does not take ownership of it). Because
 * Node calls `listen(2)` again on the fd, the backlog is re-applied; by default the
 * master's value is kept (see {@link ListenOnFdOptions.backlog}).
 *
 * @param server - a server that is not listening yet.
 * @param options - see {@link ListenOnFdOptions}.
 * @returns `server`, once it emitted `'listening'`.
 * @throws EinhornEnvError (rejects) `ERR_EINHORN_ENV_MISSING`, `ERR_EINHORN_ENV_INVALID`,
 *   `ERR_EINHORN_NOT_A_WORKER`, `ERR_EINHORN_MASTER_PID_MISMATCH`, `ERR_EINHORN_CLUSTER_WORKER`;
 *   EinhornFdError `ERR_EINHORN_FD_OUT_OF_RANGE`, `ERR_EINHORN_FD_INVALID`,
 *   `ERR_EINHORN_FD_LISTEN_FAILED`, `ERR_EINHORN_UNSUPPORTED_PLATFORM` (Windows);
 *   EinhornError `ERR_EINHORN_INVALID_OPTIONS`; `signal.reason` when aborted.
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { ack, listenOnFd } from '@einhorn/worker';
 *
 * const server = await listenOnFd(createServer(app));
 * await ack();
 * ```
 */
export async function listenOnFd<TServer extends Server>(
  server: TServer,
  options: ListenOnFdOptions = {},
): Promise<TServer> {
  validate(options);
  if (process.platform === 'win32') {
    throw new EinhornFdError(
      'ERR_EINHORN_UNSUPPORTED_PLATFORM',
      'Expected a platform where Node can listen on an inherited fd, but found Windows; run the worker on Linux or macOS.',
      { details: { platform: process.platform } },
    );
  }
  const candidate: unknown = server;
  if (
    typeof candidate !== 'object' ||
    candidate === null ||
    typeof (candidate as { listen?: unknown }).listen !== 'function'
  ) {
    throw new EinhornError(
      'ERR_EINHORN_INVALID_OPTIONS',
      'Expected a net.Server (or http/https.Server) as the first argument, but found something else; pass the server to adopt the socket into.',
      { details: { option: 'server', found: typeof server } },
    );
  }
  options.signal?.throwIfAborted();
  const { fd, index, context } = resolveFd(options);
  const { backlog, source } = await resolveBacklog(options.backlog, context);
  options.signal?.throwIfAborted();
  await listen(server, { fd, backlog, signal: options.signal });
  publishAdopt({ fd, index, backlog, backlogSource: source });
  return server;
}
