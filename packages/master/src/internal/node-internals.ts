// The ONE place this package touches a Node internal. Node has no public API for "a bound socket
// that nobody polls": `net.Server#listen` always registers the fd with libuv, so the master would
// accept (and steal) connections. Node's own cluster module (SCHED_NONE, lib/internal/cluster/
// shared_handle.js) solves the same problem with `net._createServerHandle`, which creates and
// binds a TCP or Pipe handle without listening. It exists unchanged in Node 20, 22 and 24
// (`flags` reaches `bind()` for IPv4 only from 22.12 / 23.1). `node-internals.test.ts` fails
// loudly if a Node release changes this shape.
import net from 'node:net';

/** The parts of Node's TCPWrap / PipeWrap we use. */
export interface BoundHandle {
  /** The OS file descriptor (a getter on LibuvStreamWrap, Unix only). */
  readonly fd: number;
  /** Fills `out` with the bound address; returns 0 or a negative errno. TCP only. */
  getsockname?(out: { address?: string; port?: number; family?: string }): number;
  /** Closes the fd (and unlinks a bound UNIX path). */
  close(callback?: () => void): void;
}

/** `createServerHandle(address, port, addressType, fd, flags)` in lib/net.js. */
type CreateServerHandle = (
  ...args:
    | [address: string, port: number, addressType: number, fd: undefined, flags: number]
    | [address: null, port: null, addressType: null, fd: number, flags: number]
) => BoundHandle | number;

/** libuv's `UV_TCP_REUSEPORT` bind flag (uv.h; stable since libuv 1.49). */
export const UV_TCP_REUSEPORT = 2;

function internalCreate(): CreateServerHandle {
  const candidate: unknown = (net as unknown as Record<string, unknown>)['_createServerHandle'];
  if (typeof candidate !== 'function') {
    throw new TypeError(
      `net._createServerHandle is missing in Node ${process.version}; @einhorn/master needs it to hold sockets without accepting. Please report this.`,
    );
  }
  return candidate as CreateServerHandle;
}

/**
 * Creates a socket bound to `address` but NOT listening, owned by this process and never polled.
 * `family` is 4, 6, or 0 for a UNIX path. Returns the handle or a negative errno.
 */
export function createBoundHandle(
  address: string,
  port: number,
  options: { readonly family: 0 | 4 | 6; readonly flags: number },
): BoundHandle | number {
  const create = internalCreate();
  const result =
    options.family === 0
      ? create(address, -1, -1, undefined, 0)
      : create(address, port, options.family, undefined, options.flags);
  if (typeof result === 'number') return result;
  if (!Number.isInteger(result.fd) || result.fd < 0) {
    result.close();
    throw new TypeError(
      `Node ${process.version} returned a server handle without a numeric fd; @einhorn/master cannot hold sockets on this platform.`,
    );
  }
  return result;
}

/**
 * Wraps an inherited socket fd (systemd socket activation) in a TCP or Pipe handle without
 * listening or polling, as `createServerHandle` does for `listen({ fd })`. Returns the handle or a
 * negative errno (EINVAL for an fd that is not a stream socket).
 */
export function openInheritedHandle(fd: number): BoundHandle | number {
  return internalCreate()(null, null, null, fd, 0);
}

/** Reads the bound port of a TCP handle (0 for a UNIX socket). */
export function boundPort(handle: BoundHandle): number {
  if (!handle.getsockname) return 0;
  const out: { port?: number } = {};
  return handle.getsockname(out) === 0 ? (out.port ?? 0) : 0;
}
