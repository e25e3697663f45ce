import { EinhornMasterError } from '@einhorn/core';

/**
 * Whether this Node passes libuv's UV_TCP_REUSEPORT to bind(): Node ≥ 22.12 in the 22 line,
 * ≥ 23.1 after that (the releases that added the `reusePort` listen option).
 */
export function supportsReusePort(version: string = process.versions.node): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  if (major === 22) return minor >= 12;
  if (major === 23) return minor >= 1;
  return major > 23;
}

/**
 * Throws when a `reuseport` bind is asked for on a Node that cannot set SO_REUSEPORT.
 * @throws EinhornMasterError ERR_EINHORN_REUSEPORT_UNSUPPORTED
 */
export function assertReusePort(spec: string): void {
  if (supportsReusePort()) return;
  throw new EinhornMasterError(
    'ERR_EINHORN_REUSEPORT_UNSUPPORTED',
    `Bind "${spec}" asks for per-slot SO_REUSEPORT sockets, but Node ${process.version} cannot set SO_REUSEPORT; run the master on Node >= 22.12 or drop the reuseport flag.`,
    { details: { spec, node: process.version } },
  );
}
