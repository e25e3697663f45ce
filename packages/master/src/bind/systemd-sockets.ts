import { getSystemErrorName } from 'node:util';
import { EinhornMasterError } from '@einhorn/core';
import type { EnvSource, JsonValue } from '@einhorn/core';
import { boundPort, openInheritedHandle } from '../internal/node-internals.ts';
import type { BoundHandle } from '../internal/node-internals.ts';
import type { HeldListeners } from './bind-listeners.ts';
import { parseBindString } from './parse-bind.ts';
import type { BindAddress } from './parse-bind.ts';

/** systemd passes sockets from fd 3 on (`SD_LISTEN_FDS_START`). */
const FIRST_FD = 3;
const MAX_FDS = 4096;

/** The variables `sd_listen_fds(3)` reads; removed from the workers' environment once adopted. */
export const SYSTEMD_ENV = ['LISTEN_PID', 'LISTEN_FDS', 'LISTEN_FDNAMES'] as const;

/** Sockets systemd passed to this process. */
export interface SystemdSockets {
  readonly fds: readonly number[];
  /** `LISTEN_FDNAMES` entries (systemd's default name is "unknown"). */
  readonly names: readonly string[];
}

/**
 * Reads `LISTEN_PID`, `LISTEN_FDS` and `LISTEN_FDNAMES` as `sd_listen_fds(3)` does: only when
 * `LISTEN_PID` is `pid`; otherwise (or when LISTEN_FDS is not a positive decimal) undefined.
 */
export function readSystemdSockets(env: EnvSource, pid: number): SystemdSockets | undefined {
  if (env['LISTEN_PID'] !== String(pid)) return undefined;
  const countText = env['LISTEN_FDS'] ?? '';
  if (!/^[1-9]\d*$/.test(countText) || Number(countText) > MAX_FDS) return undefined;
  const count = Number(countText);
  const given = env['LISTEN_FDNAMES']?.split(':') ?? [];
  const fds = Array.from({ length: count }, (_, i) => FIRST_FD + i);
  return { fds, names: fds.map((_, i) => given[i] ?? 'unknown') };
}

function mismatch(
  message: string,
  details: Readonly<Record<string, JsonValue>>,
): EinhornMasterError {
  return new EinhornMasterError('ERR_EINHORN_BIND_INVALID', message, { details });
}

/** A `-b`-like description of a passed socket (for `state` and messages): its local address. */
function describeAddress(handle: BoundHandle, name: string): BindAddress {
  const out: { address?: string; port?: number; family?: string } = {};
  if (handle.getsockname?.(out) === 0 && out.address !== undefined && out.port !== undefined)
    return parseBindString(
      out.family === 'IPv6' ? `[${out.address}]:${out.port}` : `${out.address}:${out.port}`,
    );
  return parseBindString(`unix:systemd-${name.replace(/[^\w.-]/g, '_')}`);
}

function describeSocket(fd: number, name: string, port: number): string {
  return `fd ${fd} ("${name}", ${port === 0 ? 'UNIX' : `TCP port ${port}`})`;
}

/**
 * Adopts systemd's listening sockets instead of binding. Mapping: without `-b`, every passed
 * socket in the order systemd passes them (the `.socket` unit's `Listen*=` order) becomes
 * `EINHORN_FD_0`, `_1`, …; with `-b`, there must be exactly one passed socket per `-b`, in the
 * same order, and each must be of the same kind (TCP or UNIX) and, for TCP with a non-zero
 * port, on the same port. The sockets are held, never polled, like bound ones; they are systemd's,
 * already listening with the unit's `Backlog=`, so `-l` does not apply to them.
 * @throws EinhornMasterError ERR_EINHORN_BIND_INVALID on a mismatch
 */
export function adoptSystemdSockets(
  passed: SystemdSockets,
  binds: readonly BindAddress[],
): HeldListeners {
  const handles: BoundHandle[] = [];
  const closeAll = (): void => {
    for (const handle of handles.splice(0)) handle.close();
  };
  try {
    if (binds.length > 0 && binds.length !== passed.fds.length)
      throw mismatch(
        `Expected one systemd socket per -b (${binds.length}: ${binds.map((b) => b.spec).join(', ')}), but systemd passed ${passed.fds.length} (${passed.names.join(', ')}); list the same sockets in the .socket unit, in -b order, or drop the -b options to take them all.`,
        { binds: binds.map((b) => b.spec), names: passed.names },
      );
    const listeners = passed.fds.map((fd, i) => {
      const name = passed.names[i] ?? 'unknown';
      const handle = openInheritedHandle(fd);
      if (typeof handle === 'number')
        throw mismatch(
          `Expected a stream socket from systemd at fd ${fd} ("${name}"), but it is not one (${getSystemErrorName(handle)}); use ListenStream= in the .socket unit.`,
          { fd, name },
        );
      handles.push(handle);
      const port = boundPort(handle);
      const bind = binds[i];
      if (bind?.kind === 'tcp' && bind.reusePort)
        throw mismatch(
          `Expected no reuseport flag with systemd sockets, but -b ${bind.spec} has one; systemd passes one socket per address. Remove the flag.`,
          { spec: bind.spec },
        );
      if (bind !== undefined) {
        const kindMatches = (bind.kind === 'tcp') === (port !== 0);
        const portMatches = bind.kind !== 'tcp' || bind.port === 0 || bind.port === port;
        if (!kindMatches || !portMatches)
          throw mismatch(
            `Expected systemd's socket #${i} to be -b ${bind.spec}, but it is ${describeSocket(fd, name, port)}; order the .socket unit's Listen*= lines like the -b options.`,
            { fd, name, port, spec: bind.spec },
          );
      }
      const address = bind ?? describeAddress(handle, name);
      return { address, port, fds: [fd] };
    });
    return {
      listeners,
      fdsForSlot: () => listeners.map((listener) => listener.fds[0] ?? -1),
      close: closeAll,
    };
  } catch (error) {
    closeAll();
    throw error;
  }
}
