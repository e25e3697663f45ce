import { readFileSync } from 'node:fs';
import type { EnvSource } from '@einhorn/core';

/** systemd passes sockets from fd 3 on (`SD_LISTEN_FDS_START`). */
const SD_LISTEN_FDS_START = 3;
const MAX_LISTEN_FDS = 4096;

/** Sockets passed by systemd socket activation (`sd_listen_fds(3)`), meant for this process. */
export interface SystemdListenEnv {
  readonly fds: readonly number[];
  /** `LISTEN_FDNAMES`, one name per fd (`FileDescriptorName=`, default the unit name). */
  readonly names: readonly string[] | undefined;
}

/**
 * Reads `LISTEN_PID`, `LISTEN_FDS` and `LISTEN_FDNAMES` as `sd_listen_fds(3)` does: the
 * variables count only when `LISTEN_PID` is this process's pid (a child that inherited them
 * must not take the sockets). Returns `undefined` when they are absent, meant for another
 * process, or malformed.
 */
export function readSystemdListenEnv(env: EnvSource, pid: number): SystemdListenEnv | undefined {
  const listenPid = env['LISTEN_PID'];
  const listenFds = env['LISTEN_FDS'];
  if (listenPid === undefined || listenFds === undefined) return undefined;
  if (listenPid !== String(pid) || !/^[1-9]\d{0,3}$/.test(listenFds)) return undefined;
  const count = Number(listenFds);
  if (count > MAX_LISTEN_FDS) return undefined;
  const fds = Array.from({ length: count }, (_, i) => SD_LISTEN_FDS_START + i);
  const rawNames = env['LISTEN_FDNAMES'];
  const names = rawNames?.split(':');
  return {
    fds: Object.freeze(fds),
    names: names?.length === count ? Object.freeze(names) : undefined,
  };
}

/**
 * `net.core.somaxconn`: the kernel's cap on every listen backlog, and what systemd applies
 * when a `.socket` unit sets no `Backlog=`. `undefined` when it cannot be read.
 */
export function readSomaxconn(): number | undefined {
  try {
    const value = Number(readFileSync('/proc/sys/net/core/somaxconn', 'latin1').trim());
    return Number.isInteger(value) && value > 0 ? value : undefined;
  } catch {
    return undefined;
  }
}
