import { Socket, createConnection } from 'node:net';
import { EinhornAckError } from '@einhorn/core';

/** Where a command line goes: a fresh connection to a path, or an already-connected fd. */
export type LineTarget = { readonly path: string } | { readonly fd: number };

export interface SendLineOptions {
  readonly timeoutMs: number;
  readonly signal: AbortSignal | undefined;
}

function describeTarget(target: LineTarget): string {
  return 'path' in target
    ? `the command socket ${JSON.stringify(target.path)}`
    : `the command-socket fd ${target.fd}`;
}

/** Most bytes of a reply kept: the only reply a worker gets is einhorn-node's one-line ACK confirmation. */
const MAX_REPLY_BYTES = 64 * 1024;

/**
 * Writes one line to the master and waits for the master to close the connection, which is
 * all it ever does after `worker:ack` / `worker:ping` (docs/reference/protocol.md, "ACK"): no reply is expected.
 * EOF, close, or a reset after the line was fully written count as delivered.
 *
 * @returns whatever the master wrote before closing (einhorn-node's ACK confirmation), usually ''.
 */
export function sendLine(
  target: LineTarget,
  line: string,
  { timeoutMs, signal }: SendLineOptions,
): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(signal.reason as Error);
      return;
    }
    let written = false;
    let settled = false;
    let reply = '';
    let socket: Socket;
    const finish = (error?: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      if (error === undefined) resolve(reply);
      else reject(error);
    };
    const connectError = (cause: unknown, what: string): EinhornAckError => {
      const errno = (cause as NodeJS.ErrnoException | undefined)?.code;
      return new EinhornAckError(
        'ERR_EINHORN_ACK_CONNECT',
        `Expected to deliver ${line.length} bytes to ${describeTarget(target)}, but ${what}${errno === undefined ? '' : ` (${errno})`}; check EINHORN_SOCK_PATH and that the master is running.`,
        {
          cause,
          details: {
            ...('path' in target ? { path: target.path } : { fd: target.fd }),
            errno: errno ?? null,
          },
        },
      );
    };
    const onAbort = (): void => {
      finish(signal?.reason as Error);
    };
    const timer = setTimeout(() => {
      finish(
        new EinhornAckError(
          'ERR_EINHORN_ACK_TIMEOUT',
          `Expected the master to close ${describeTarget(target)} within ${timeoutMs} ms of the request, but it did not; raise timeoutMs or check that the master's event loop is not blocked.`,
          { cause: new Error(`timed out after ${timeoutMs} ms`), details: { timeoutMs, written } },
        ),
      );
    }, timeoutMs);
    try {
      socket =
        'path' in target
          ? createConnection({ path: target.path })
          : new Socket({ fd: target.fd, readable: true, writable: true });
    } catch (cause) {
      socket = new Socket();
      finish(connectError(cause, 'the socket could not be opened'));
      return;
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    const write = (): void => {
      socket.end(line, () => {
        written = true;
      });
    };
    socket.once('error', (cause) => {
      finish(
        written
          ? undefined
          : connectError(cause, 'the connection failed before the line was written'),
      );
    });
    socket.once('close', () => {
      finish(
        written
          ? undefined
          : connectError(undefined, 'the connection closed before the line was written'),
      );
    });
    // einhorn sends nothing; keep what einhorn-node may send (a confirmation), so EOF is observed.
    socket.setEncoding('utf8').on('data', (chunk: string) => {
      if (reply.length < MAX_REPLY_BYTES) reply += chunk;
    });
    if ('path' in target) socket.once('connect', write);
    else write();
  });
}
