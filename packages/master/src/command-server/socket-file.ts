import { chmod, lstat, stat, unlink } from '../internal/fs-calls.ts';
import { createConnection, type Server } from 'node:net';
import { dirname } from 'node:path';
import { EinhornMasterError } from '@einhorn/core';

/** Linux's `sun_path` holds 108 bytes including the terminating NUL. */
const MAX_SOCKET_PATH_BYTES = 107;
const PROBE_TIMEOUT_MS = 2_000;
const OWNER_ONLY_UMASK = 0o177;

/** dev/ino of a file, to tell "our" socket file from one that replaced it. */
export interface FileIdentity {
  readonly dev: number;
  readonly ino: number;
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

function invalid(path: string, found: string, cause?: unknown): EinhornMasterError {
  return new EinhornMasterError(
    'ERR_EINHORN_COMMAND_SOCKET_INVALID',
    `Expected a usable Einhorn command socket path at ${path} but ${found}; fix it or pass -d with another path.`,
    { cause, details: { path } },
  );
}

function inUse(path: string, cause?: unknown): EinhornMasterError {
  return new EinhornMasterError(
    'ERR_EINHORN_COMMAND_SOCKET_IN_USE',
    `Another process (probably another Einhorn) is listening on the Einhorn command socket at ${path}; stop it or pass -d with another path.`,
    { cause, details: { path } },
  );
}

/** Rejects paths the kernel would truncate and parent directories anyone could swap files in. */
export async function checkSocketLocation(path: string): Promise<void> {
  if (Buffer.byteLength(path) > MAX_SOCKET_PATH_BYTES) {
    throw invalid(
      path,
      `the path is ${Buffer.byteLength(path)} bytes long (at most ${MAX_SOCKET_PATH_BYTES})`,
    );
  }
  const parent = dirname(path);
  let parentStats;
  try {
    parentStats = await stat(parent);
  } catch (error) {
    throw invalid(
      path,
      `its directory ${parent} cannot be read (${errorCode(error) ?? 'error'})`,
      error,
    );
  }
  if (!parentStats.isDirectory()) throw invalid(path, `${parent} is not a directory`);
  const worldWritable = (parentStats.mode & 0o002) !== 0;
  const sticky = (parentStats.mode & 0o1000) !== 0;
  if (worldWritable && !sticky) {
    throw invalid(
      path,
      `its directory ${parent} is world-writable without the sticky bit, so anyone could replace the socket`,
    );
  }
}

function probe(path: string): Promise<'live' | 'refused' | 'gone'> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ path });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve('live'); // a listener too busy to accept is still alive
    }, PROBE_TIMEOUT_MS);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve('live');
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      const code = errorCode(error);
      if (code === 'ECONNREFUSED') resolve('refused');
      else if (code === 'ENOENT') resolve('gone');
      else if (code === 'EAGAIN')
        resolve('live'); // backlog full
      else reject(invalid(path, `connecting to it failed with ${code ?? 'an error'}`, error));
    });
  });
}

/**
 * Einhorn's start-up check (docs/reference/protocol.md, "The command socket"): nothing there →
 * go on; a live socket → in use; a stale socket → remove it and call `onStaleRemoved`; anything
 * else (file, directory, symlink) → invalid.
 */
export async function clearStaleSocket(path: string, onStaleRemoved: () => void): Promise<void> {
  let before;
  try {
    before = await lstat(path);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return;
    throw invalid(path, `it cannot be examined (${errorCode(error) ?? 'error'})`, error);
  }
  if (!before.isSocket()) throw invalid(path, 'a non-socket file is present there');
  const outcome = await probe(path);
  if (outcome === 'gone') return;
  if (outcome === 'live') throw inUse(path);
  // Only remove the very file we probed, not one another master just created.
  const after = await lstat(path).catch(() => undefined);
  if (after?.ino !== before.ino || after.dev !== before.dev) return;
  await unlink(path).catch((error: unknown) => {
    if (errorCode(error) !== 'ENOENT')
      throw invalid(path, 'the stale socket could not be removed', error);
  });
  onStaleRemoved();
}

function setUmask(mask: number): number | undefined {
  try {
    return process.umask(mask);
  } catch {
    return undefined; // worker threads cannot change the umask; the chmod below still applies
  }
}

/**
 * Listens on `path` with the socket file created owner-only: the umask is tightened around the
 * (synchronous) bind, then the mode is set to 0600 explicitly.
 */
export async function listenOwnerOnly(server: Server, path: string): Promise<FileIdentity> {
  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error): void => {
      const code = errorCode(error);
      reject(
        code === 'EADDRINUSE'
          ? inUse(path, error)
          : invalid(path, `listening failed with ${code ?? 'an error'}`, error),
      );
    };
    server.once('error', onError);
    const previous = setUmask(OWNER_ONLY_UMASK);
    try {
      server.listen({ path }, () => {
        server.off('error', onError);
        resolve();
      });
    } finally {
      if (previous !== undefined) process.umask(previous);
    }
  });
  try {
    await chmod(path, 0o600);
    const stats = await stat(path);
    return { dev: stats.dev, ino: stats.ino };
  } catch (error) {
    server.close();
    throw invalid(path, 'its mode could not be set to 0600', error);
  }
}

/** Removes the socket file unless it has been replaced by another one meanwhile. */
export async function removeSocketFile(path: string, identity: FileIdentity): Promise<void> {
  const current = await lstat(path).catch(() => undefined);
  if (current?.ino !== identity.ino || current.dev !== identity.dev) return;
  await unlink(path).catch(() => undefined);
}
