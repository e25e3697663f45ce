import { connect } from 'node:net';
import { lstat, unlink } from '../internal/fs-calls.ts';
import { EinhornMasterError } from '@einhorn/core';

function probe(path: string): Promise<'live' | 'stale'> {
  return new Promise((resolve) => {
    const socket = connect(path);
    socket.once('connect', () => {
      socket.destroy();
      resolve('live');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      resolve(error.code === 'ECONNREFUSED' ? 'stale' : 'live');
    });
  });
}

/**
 * Clears the way for binding a UNIX listener at `path`, like einhorn does for its command
 * socket: a stale socket file (nobody listening) is removed; a live one or a non-socket refuses.
 * @throws EinhornMasterError ERR_EINHORN_BIND_FAILED
 */
export async function prepareUnixPath(spec: string, path: string): Promise<void> {
  const stats = await lstat(path).catch(() => undefined);
  if (!stats) return;
  if (!stats.isSocket()) {
    throw new EinhornMasterError(
      'ERR_EINHORN_BIND_FAILED',
      `Cannot bind "${spec}": ${path} exists and is not a socket; remove it or choose another path.`,
      { details: { spec } },
    );
  }
  if ((await probe(path)) === 'live') {
    throw new EinhornMasterError(
      'ERR_EINHORN_BIND_FAILED',
      `Cannot bind "${spec}": another process is listening on ${path}; stop it or choose another path.`,
      { details: { spec } },
    );
  }
  await unlink(path).catch(() => undefined);
}
