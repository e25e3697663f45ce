import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { getSystemErrorName } from 'node:util';
import { EinhornMasterError } from '@einhorn/core';
import { boundPort, createBoundHandle, UV_TCP_REUSEPORT } from '../internal/node-internals.ts';
import type { BoundHandle } from '../internal/node-internals.ts';
import { listenWithoutAccepting } from './listen-helper.ts';
import type { BindAddress } from './parse-bind.ts';
import { assertReusePort } from './reuseport.ts';
import { prepareUnixPath } from './unix-path.ts';

/** One `-b` socket held by the master: a single shared fd, or one fd per reuseport slot. */
export interface HeldListener {
  readonly address: BindAddress;
  /** The bound TCP port (the kernel's choice for port 0); 0 for a UNIX socket. */
  readonly port: number;
  /** The master's fds: one for a shared socket, `slots` for a reuseport socket. */
  readonly fds: readonly number[];
}

/** Every listener of the master, kept open (and never polled) until `close()`. */
export interface HeldListeners {
  readonly listeners: readonly HeldListener[];
  /** The fd a worker in `slot` gets for each listener, in `-b` order. */
  fdsForSlot(slot: number | undefined): number[];
  close(): void;
}

interface BindRequest {
  readonly address: BindAddress;
  readonly backlog: number;
  readonly slots: number;
}

function bindFailed(spec: string, why: string, cause?: unknown): EinhornMasterError {
  return new EinhornMasterError('ERR_EINHORN_BIND_FAILED', `Could not bind "${spec}": ${why}.`, {
    cause,
    details: { spec },
  });
}

async function resolveHost(
  address: Extract<BindAddress, { kind: 'tcp' }>,
): Promise<{ ip: string; family: 4 | 6 }> {
  const literal = isIP(address.host);
  if (literal === 4 || literal === 6) return { ip: address.host, family: literal };
  try {
    const found = await lookup(address.host);
    return { ip: found.address, family: found.family === 6 ? 6 : 4 };
  } catch (error) {
    throw bindFailed(address.spec, `cannot resolve host "${address.host}"`, error);
  }
}

function createOrThrow(spec: string, create: () => BoundHandle | number): BoundHandle {
  const result = create();
  if (typeof result === 'number')
    throw bindFailed(spec, `bind() failed with ${getSystemErrorName(result)}`);
  return result;
}

/**
 * libuv defers a TCP bind() error to listen() (`delayed_error`), and listen() on an unbound
 * socket would pick a random port. So a TCP handle counts as bound only if getsockname() shows
 * the requested port (or any port for port 0).
 */
function checkTcpBound(spec: string, handle: BoundHandle, wanted: number): number {
  const port = boundPort(handle);
  if (port !== 0 && (wanted === 0 || port === wanted)) return port;
  handle.close();
  throw bindFailed(
    spec,
    'bind() failed: the address is already in use or not available on this host (EADDRINUSE or EADDRNOTAVAIL)',
  );
}

async function bindOne(
  request: BindRequest,
  handles: BoundHandle[],
): Promise<{ port: number; handles: BoundHandle[] }> {
  const { address } = request;
  if (address.kind === 'unix') {
    await prepareUnixPath(address.spec, address.path);
    const handle = createOrThrow(address.spec, () =>
      createBoundHandle(address.path, -1, { family: 0, flags: 0 }),
    );
    handles.push(handle);
    return { port: 0, handles: [handle] };
  }
  if (address.reusePort) assertReusePort(address.spec);
  const { ip, family } = await resolveHost(address);
  const flags = address.reusePort ? UV_TCP_REUSEPORT : 0;
  const first = createOrThrow(address.spec, () =>
    createBoundHandle(ip, address.port, { family, flags }),
  );
  const port = checkTcpBound(address.spec, first, address.port);
  handles.push(first);
  const mine = [first];
  for (let slot = 1; address.reusePort && slot < request.slots; slot++) {
    const next = createOrThrow(address.spec, () => createBoundHandle(ip, port, { family, flags }));
    checkTcpBound(address.spec, next, port);
    handles.push(next);
    mine.push(next);
  }
  return { port, handles: mine };
}

function fdForSlot(listener: HeldListener, slot: number | undefined): number {
  const fd = listener.fds[listener.fds.length === 1 ? 0 : (slot ?? 0) % listener.fds.length];
  if (fd === undefined)
    throw new RangeError(`No fd for slot ${String(slot)} of "${listener.address.spec}".`);
  return fd;
}

/**
 * Binds every address once, makes each socket LISTEN with `backlog` without accepting, and keeps
 * the fds open. A `reuseport` address gets `slots` SO_REUSEPORT sockets on the same port.
 * @throws EinhornMasterError ERR_EINHORN_BIND_FAILED, ERR_EINHORN_REUSEPORT_UNSUPPORTED
 */
export async function bindListeners(
  addresses: readonly BindAddress[],
  options: { readonly backlog: number; readonly slots: number },
): Promise<HeldListeners> {
  const all: BoundHandle[] = [];
  const closeAll = (): void => {
    for (const handle of all.splice(0)) handle.close();
  };
  try {
    const bound: { address: BindAddress; port: number; handles: BoundHandle[] }[] = [];
    for (const address of addresses) {
      const result = await bindOne(
        { address, backlog: options.backlog, slots: options.slots },
        all,
      );
      bound.push({ address, ...result });
    }
    const results = await listenWithoutAccepting(
      all.map((handle) => handle.fd),
      options.backlog,
    );
    const failed = results.findIndex((result) => result !== 'ok');
    if (failed >= 0) {
      const failedHandle = all[failed];
      const owner = bound.find(
        (entry) => failedHandle !== undefined && entry.handles.includes(failedHandle),
      );
      throw bindFailed(
        owner?.address.spec ?? '?',
        `listen() failed with ${results[failed] ?? '?'}`,
      );
    }
    const listeners: HeldListener[] = bound.map((entry) => ({
      address: entry.address,
      port: entry.port,
      fds: entry.handles.map((handle) => handle.fd),
    }));
    return {
      listeners,
      fdsForSlot: (slot) => listeners.map((listener) => fdForSlot(listener, slot)),
      close: closeAll,
    };
  } catch (error) {
    closeAll();
    if (error instanceof EinhornMasterError) throw error;
    throw bindFailed(
      addresses.map((a) => a.spec).join(', '),
      error instanceof Error ? error.message : String(error),
      error,
    );
  }
}
