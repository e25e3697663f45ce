// The one Node internal the test harness relies on, confined here so that no other file touches
// Node internals.
//
// Node has no public API that returns the fd of a listening server, and the fake master needs
// it: it creates each listener with the documented `server.listen()`, hands the fd to its
// holder process through `spawn`'s documented `stdio: [.., fd]` (a positive integer is an fd
// of the parent), then closes its own copy so that the test process never accepts. The fd is
// read from `server._handle.fd`, present on TCP and Pipe handles on every Unix Node since 0.x.
// If a Node release removes it, this throws loudly instead of passing a wrong fd.
import type { Server } from 'node:net';

export function listeningFdOf(server: Server): number {
  const handle = (server as unknown as { _handle?: { fd?: unknown } | null })._handle;
  const fd = handle?.fd;
  if (typeof fd !== 'number' || !Number.isInteger(fd) || fd < 0) {
    throw new Error(
      `Cannot read the fd of a listening server (server._handle.fd is ${String(fd)}); Node ${process.version} changed its internals: update test/helpers/internal/listening-fd.ts.`,
    );
  }
  return fd;
}
