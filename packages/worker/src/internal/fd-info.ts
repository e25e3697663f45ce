import { fstatSync, readFileSync } from 'node:fs';
import type { Stats } from 'node:fs';

/** What `fstat(2)` says about an fd, without taking ownership of it. */
export type FdInfo =
  | { readonly kind: 'closed'; readonly cause: unknown }
  | { readonly kind: 'not-socket'; readonly type: string }
  | { readonly kind: 'socket'; readonly inode: number };

function fileType(stats: Stats): string {
  if (stats.isFile()) return 'a regular file';
  if (stats.isFIFO()) return 'a pipe';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isDirectory()) return 'a directory';
  if (stats.isBlockDevice()) return 'a block device';
  return 'not a socket';
}

/** Classifies an fd with `fstat`; an fd that cannot be stat'ed (EBADF) counts as closed. */
export function inspectFd(fd: number): FdInfo {
  let stats: Stats;
  try {
    stats = fstatSync(fd);
  } catch (cause) {
    return { kind: 'closed', cause };
  }
  return stats.isSocket()
    ? { kind: 'socket', inode: stats.ino }
    : { kind: 'not-socket', type: fileType(stats) };
}

/** A UNIX-domain socket as `/proc/net/unix` describes it. */
export interface UnixSocketInfo {
  readonly type: 'stream' | 'dgram' | 'seqpacket' | 'other';
  readonly connected: boolean;
  readonly listening: boolean;
}

const SOCKET_TYPES: Readonly<Record<string, UnixSocketInfo['type']>> = {
  '0001': 'stream',
  '0002': 'dgram',
  '0005': 'seqpacket',
};
const SO_ACCEPTCON = 0x10000;
const SS_CONNECTED = '03';

/**
 * Finds a UNIX socket by inode in the text of `/proc/net/unix`
 * (`Num RefCount Protocol Flags Type St Inode [Path]`).
 */
export function findUnixSocket(procNetUnix: string, inode: number): UnixSocketInfo | undefined {
  const wanted = String(inode);
  for (const line of procNetUnix.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields[6] !== wanted) continue;
    const flags = Number.parseInt(fields[3] ?? '0', 16);
    return {
      type: SOCKET_TYPES[fields[4] ?? ''] ?? 'other',
      connected: fields[5] === SS_CONNECTED,
      listening: (flags & SO_ACCEPTCON) !== 0,
    };
  }
  return undefined;
}

/**
 * Describes a UNIX socket by inode. Returns `undefined` when that cannot be known: not Linux,
 * `/proc` not mounted, or the socket is not a UNIX socket (TCP, UDP, …).
 */
export function describeUnixSocket(inode: number): UnixSocketInfo | undefined {
  if (process.platform !== 'linux') return undefined;
  let text: string;
  try {
    text = readFileSync('/proc/net/unix', 'latin1');
  } catch {
    return undefined;
  }
  return findUnixSocket(text, inode);
}
