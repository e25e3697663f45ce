import { isIP } from 'node:net';
import { getSystemErrorName } from 'node:util';
import { EinhornMasterError } from '@einhorn/core';
import { UV_TCP_REUSEPORT } from '../internal/node-internals.ts';
import { publishListening } from '../log/channels.ts';
import type { BoundHandle } from '../internal/node-internals.ts';
import { bindAndListen } from './bind-helper.ts';
import type { SocketRequest, SocketResult } from './bind-helper.ts';
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
    // Loaded only for a host name: most masters bind IP literals and never need the resolver.
    const { lookup } = await import('node:dns/promises');
    const found = await lookup(address.host);
    return { ip: found.address, family: found.family === 6 ? 6 : 4 };
  } catch (error) {
    throw bindFailed(address.spec, `cannot resolve host "${address.host}"`, error);
  }
}

function bindError(spec: string, result: Extract<SocketResult, { ok: false }>): EinhornMasterError {
  const name = result.errno < 0 ? getSystemErrorName(result.errno) : `errno ${result.errno}`;
  // libuv defers a TCP bind() error to listen() (`delayed_error`): report it as the bind failure it is.
  return bindFailed(spec, `bind() failed with ${name}`);
}

async function listening(
  spec: string,
  request: SocketRequest,
): Promise<{ handle: BoundHandle; port: number }> {
  const result = await bindAndListen(request);
  if (!result.ok) throw bindError(spec, result);
  publishListening(spec, result.port, result.boundAt);
  return result;
}

async function bindOne(
  request: BindRequest,
  handles: BoundHandle[],
): Promise<{ port: number; handles: BoundHandle[] }> {
  const { address, backlog } = request;
  if (address.kind === 'unix') {
    await prepareUnixPath(address.spec, address.path);
    const { handle } = await listening(address.spec, { path: address.path, backlog });
    handles.push(handle);
    return { port: 0, handles: [handle] };
  }
  if (address.reusePort) assertReusePort(address.spec);
  const { ip, family } = await resolveHost(address);
  const flags = address.reusePort ? UV_TCP_REUSEPORT : 0;
  const first = await listening(address.spec, { ip, port: address.port, family, flags, backlog });
  handles.push(first.handle);
  const mine = [first.handle];
  for (let slot = 1; address.reusePort && slot < request.slots; slot++) {
    const next = await listening(address.spec, { ip, port: first.port, family, flags, backlog });
    handles.push(next.handle);
    mine.push(next.handle);
  }
  return { port: first.port, handles: mine };
}

function fdForSlot(listener: HeldListener, slot: number | undefined): number {
  const fd = listener.fds[listener.fds.length === 1 ? 0 : (slot ?? 0) % listener.fds.length];
  if (fd === undefined)
    throw new RangeError(`No fd for slot ${String(slot)} of "${listener.address.spec}".`);
  return fd;
}

/**
 * Binds every address once, each socket LISTENing with `backlog` from the instant it is bound
 * (so no connection is ever refused) and never accepted on, and keeps the fds open. A `reuseport` address gets `slots` SO_REUSEPORT sockets on the same port.
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
