import { createServer } from 'node:net';
import { EinhornError } from '@einhorn/core';
import { ServerConnection } from './connection.ts';
import { withLockfile } from './lockfile.ts';
import { createLineHandler } from './request-handler.ts';
import {
  checkSocketLocation,
  clearStaleSocket,
  listenOwnerOnly,
  removeSocketFile,
} from './socket-file.ts';
import type { CommandServer, CommandServerEvent, CommandServerOptions } from './types.ts';

const MIB = 1024 * 1024;
/** How long close() lets connections flush before destroying them. */
const CLOSE_GRACE_MS = 1_000;

interface Limits {
  readonly maxLineBytes: number;
  readonly maxBufferedBytes: number;
  readonly maxConnections: number;
  readonly maxPendingWriteBytes: number;
  readonly idleTimeoutMs: number;
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function invalidOption(name: string, expected: string, found: unknown): EinhornError {
  return new EinhornError(
    'ERR_EINHORN_INVALID_OPTIONS',
    `Expected startCommandServer option ${name} to be ${expected} but found ${describe(found)}; fix the option.`,
    { cause: new TypeError(`${name}: expected ${expected}`) },
  );
}

type LimitName = keyof Limits;

function limit(
  options: CommandServerOptions,
  name: LimitName,
  rule: { readonly fallback: number; readonly min: number },
): number {
  const value: unknown = options[name];
  if (value === undefined) return rule.fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < rule.min) {
    throw invalidOption(name, `an integer >= ${rule.min}`, value);
  }
  return value;
}

function resolveLimits(options: CommandServerOptions): Limits {
  // Checked at run time too: JavaScript callers and parsed configs bypass the types.
  const loose = options as Partial<Record<keyof CommandServerOptions, unknown>>;
  if (typeof loose.path !== 'string' || loose.path === '')
    throw invalidOption('path', 'a non-empty string', loose.path);
  if (typeof loose.dispatch !== 'function')
    throw invalidOption('dispatch', 'a function', typeof loose.dispatch);
  return {
    maxLineBytes: limit(options, 'maxLineBytes', { fallback: MIB, min: 1 }),
    maxBufferedBytes: limit(options, 'maxBufferedBytes', { fallback: 256 * 1024, min: 1 }),
    maxConnections: limit(options, 'maxConnections', {
      fallback: 1024,
      min: 1,
    }),
    maxPendingWriteBytes: limit(options, 'maxPendingWriteBytes', {
      fallback: MIB,
      min: 0,
    }),
    idleTimeoutMs: limit(options, 'idleTimeoutMs', { fallback: 0, min: 0 }),
  };
}

function safeEmitter(
  onEvent: CommandServerOptions['onEvent'],
): (event: CommandServerEvent) => void {
  return (event) => {
    try {
      onEvent?.(event);
    } catch {
      // A failing logger must not take the command socket down.
    }
  };
}

/**
 * Starts einhorn's command socket server on a unix socket (docs/reference/protocol.md: "The
 * command socket", "Wire format" and "Commands").
 *
 * Start-up follows einhorn's: a live socket at `path` is refused, a stale one is removed, a
 * non-socket file is refused, and the parent directory must not be world-writable without the
 * sticky bit.
 * The socket file is created owner-only (0600) and removed by `close()`. Requests are processed
 * strictly in order per connection; einhorn's pre-dispatch replies are produced here, and every
 * valid request goes to `dispatch`.
 *
 * @param options - Socket path, dispatcher and limits.
 * @returns The running server.
 * @throws {EinhornMasterError} `ERR_EINHORN_COMMAND_SOCKET_IN_USE` when another process listens on
 *   `path`; `ERR_EINHORN_COMMAND_SOCKET_INVALID` for a non-socket file, an unsafe or missing
 *   directory, a path over 107 bytes, or a failed listen.
 * @throws {EinhornError} `ERR_EINHORN_INVALID_OPTIONS` for malformed options.
 * @example
 * const server = await startCommandServer({
 *   path: '/tmp/einhorn.sock',
 *   dispatch: (request) => request.reply(`You sent ${request.command.command}`),
 * });
 * await server.close();
 */
export async function startCommandServer(options: CommandServerOptions): Promise<CommandServer> {
  const limits = resolveLimits(options);
  const { path, dispatch } = options;
  const emit = safeEmitter(options.onEvent);
  return withLockfile(options.lockfilePath, async () => {
    await checkSocketLocation(path);
    await clearStaleSocket(path, () => {
      emit({ type: 'stale-socket-removed', path });
    });
    const connections = new Set<ServerConnection>();
    const handleLine = createLineHandler({
      dispatch,
      emit,
      maxLineBytes: limits.maxLineBytes,
    });
    let lastId = 0;
    const server = createServer({ allowHalfOpen: true });
    server.maxConnections = limits.maxConnections;
    server.on('drop', () => {
      emit({ type: 'connection-refused', reason: 'max-connections' });
    });
    server.on('connection', (socket) => {
      lastId += 1;
      const connection = new ServerConnection(lastId, socket, {
        ...limits,
        emit,
        handleLine,
      });
      connections.add(connection);
      emit({ type: 'connection-open', connectionId: connection.id });
      connection.onClose(() => {
        connections.delete(connection);
        emit({ type: 'connection-close', connectionId: connection.id });
      });
    });
    const identity = await listenOwnerOnly(server, path);
    server.on('error', (error) => {
      emit({ type: 'server-error', error }); // e.g. EMFILE on accept; the server keeps listening
    });

    let closing: Promise<void> | undefined;
    const shutDown = async (): Promise<void> => {
      const closed = new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
      for (const connection of connections) connection.close();
      const timer = setTimeout(() => {
        for (const connection of connections) connection.destroy();
      }, CLOSE_GRACE_MS);
      await closed;
      clearTimeout(timer);
      await removeSocketFile(path, identity);
    };
    return {
      path,
      get connectionCount() {
        return connections.size;
      },
      close: () => (closing ??= shutDown()),
    };
  });
}
