import { createConnection } from 'node:net';
import { connectError, invalidArgument, timeoutError } from './errors.ts';
import { SocketEinhornClient } from './socket-client.ts';
import type { EinhornClient, EinhornClientOptions } from './types.ts';

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_REPLY_BYTES = 16 * 1024 * 1024;

function nonNegative(
  name: 'timeoutMs' | 'maxReplyBytes',
  value: number | undefined,
  fallback: number,
): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0) {
    throw invalidArgument(`connectEinhorn option ${name}`, 'a finite number >= 0');
  }
  return value;
}

/**
 * Connects to an einhorn (or einhorn-node) command socket.
 *
 * @param options - The socket path and timeouts.
 * @returns A client that speaks einhornsh's protocol (docs/reference/protocol.md, "Wire format").
 * @throws {EinhornClientError} `ERR_EINHORN_CLIENT_CONNECT` when the socket is missing (ENOENT),
 *   stale (ECONNREFUSED) or not accessible, with a hint in the message and the errno in
 *   `details.errno`; `ERR_EINHORN_CLIENT_TIMEOUT` when connecting takes longer than `timeoutMs`.
 * @throws {EinhornError} `ERR_EINHORN_INVALID_OPTIONS` for malformed options.
 * @example
 * const client = await connectEinhorn({ path: defaultSocketPath('web') });
 * const [reply] = await client.request('inc');
 * await client.close();
 */
export async function connectEinhorn(options: EinhornClientOptions): Promise<EinhornClient> {
  const path: unknown = options.path;
  if (typeof path !== 'string' || path === '') {
    throw invalidArgument('connectEinhorn option path', 'a non-empty string');
  }
  const timeoutMs = nonNegative('timeoutMs', options.timeoutMs, DEFAULT_TIMEOUT_MS);
  const maxReplyBytes = nonNegative(
    'maxReplyBytes',
    options.maxReplyBytes,
    DEFAULT_MAX_REPLY_BYTES,
  );
  const socket = createConnection({ path });
  await new Promise<void>((resolve, reject) => {
    const timer =
      timeoutMs > 0
        ? setTimeout(() => {
            socket.destroy();
            reject(timeoutError(path, timeoutMs));
          }, timeoutMs)
        : undefined;
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve();
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(connectError(path, error));
    });
  });
  return new SocketEinhornClient(socket, { path, timeoutMs, maxReplyBytes });
}
