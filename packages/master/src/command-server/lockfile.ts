import { closeFile, openFile } from '../internal/fs-calls.ts';
import { EinhornMasterError } from '@einhorn/core';

/**
 * Creates (or truncates) the lockfile owner-only and keeps it open while `body` runs, like
 * einhorn's `with_file_lock`. Node cannot `flock`, so this marks the critical section without
 * excluding a concurrent master; the socket probe and listen's `EADDRINUSE` do that. The file is
 * never deleted, as in einhorn (check 10).
 */
export async function withLockfile<T>(
  path: string | undefined,
  body: () => Promise<T>,
): Promise<T> {
  if (path === undefined) return body();
  let fd: number;
  try {
    fd = await openFile(path, 'w', 0o600);
  } catch (error) {
    throw new EinhornMasterError(
      'ERR_EINHORN_COMMAND_SOCKET_INVALID',
      `Expected to create the Einhorn lockfile at ${path} but it could not be opened; fix its directory or pass -f with another path.`,
      { cause: error, details: { path } },
    );
  }
  try {
    return await body();
  } finally {
    await closeFile(fd);
  }
}
