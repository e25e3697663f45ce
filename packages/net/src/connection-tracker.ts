import { Server as HttpServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Server as HttpsServer } from 'node:https';
import type { Server, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { Server as TlsServer } from 'node:tls';
import { watchTakeovers } from './internal/takeover-listeners.ts';
import type { ConnectionTracker, DrainOptions } from './types.ts';

const DEFAULT_IDLE_GRACE_MS = 1000;

/** Requests in flight on one socket that carries HTTP. */
interface HttpSocketState {
  readonly responses: Set<ServerResponse>;
  idleTimer: NodeJS.Timeout | undefined;
}

interface Draining {
  readonly promise: Promise<void>;
  readonly resolve: () => void;
  readonly idleGraceMs: number;
  readonly drainSocket: ((socket: Duplex) => void) | undefined;
}

class Tracker implements ConnectionTracker {
  /** Every accepted connection: what "drained" waits for and what the deadline destroys. */
  readonly #sockets = new Set<Socket>();
  /** Sockets that carry HTTP (for TLS servers, the TLS sockets), with their requests. */
  readonly #http = new Map<Duplex, HttpSocketState>();
  /** Sockets whose protocol we do not speak: raw net connections, upgraded HTTP sockets. */
  readonly #opaque = new Set<Duplex>();
  readonly #isHttp: boolean;
  readonly #server: Server;
  readonly #cleanups: (() => void)[] = [];
  #draining: Draining | undefined;

  constructor(server: Server) {
    this.#server = server;
    this.#isHttp = server instanceof HttpServer || server instanceof HttpsServer;
    const isTls = server instanceof TlsServer;
    this.#on('connection', (socket: Socket) => {
      this.#sockets.add(socket);
      socket.once('close', () => {
        this.#sockets.delete(socket);
        this.#forget(socket);
        this.#checkDrained();
      });
      if (!this.#isHttp) this.#addOpaque(socket);
      else if (!isTls) this.#addHttp(socket);
    });
    if (this.#isHttp && isTls) {
      this.#on('secureConnection', (socket: Duplex) => {
        this.#addHttp(socket);
        socket.once('close', () => {
          this.#forget(socket);
        });
      });
    }
    if (this.#isHttp) {
      this.#on(
        'request',
        (req: IncomingMessage, res: ServerResponse) => {
          this.#onRequest(req, res);
        },
        true,
      );
      this.#cleanups.push(
        watchTakeovers(server, (socket) => {
          this.#forget(socket);
          this.#addOpaque(socket);
        }),
      );
    }
  }

  get connections(): number {
    return this.#sockets.size;
  }

  get activeRequests(): number {
    let count = 0;
    for (const state of this.#http.values()) count += state.responses.size;
    return count;
  }

  get isDraining(): boolean {
    return this.#draining !== undefined;
  }

  drain(options: DrainOptions = {}): Promise<void> {
    if (this.#draining !== undefined) return this.#draining.promise;
    let resolve!: () => void;
    const promise = new Promise<void>((done) => {
      resolve = done;
    });
    this.#draining = {
      promise,
      resolve,
      idleGraceMs: options.idleGraceMs ?? DEFAULT_IDLE_GRACE_MS,
      drainSocket: options.drainSocket,
    };
    for (const [socket, state] of this.#http) {
      for (const res of state.responses) closeAfter(res);
      this.#scheduleIdleClose(socket, state);
    }
    for (const socket of this.#opaque) this.#handOver(socket);
    const signal = options.signal;
    if (signal?.aborted === true) this.destroyAll();
    else
      signal?.addEventListener(
        'abort',
        () => {
          this.destroyAll();
        },
        { once: true },
      );
    this.#checkDrained();
    return promise;
  }

  destroyAll(): void {
    for (const socket of this.#sockets) socket.destroy();
    for (const socket of this.#opaque) socket.destroy();
  }

  dispose(): void {
    for (const cleanup of this.#cleanups.splice(0)) cleanup();
    for (const state of this.#http.values()) clearTimeout(state.idleTimer);
  }

  #on(event: string, listener: (...args: never[]) => void, first = false): void {
    const fn = listener as (...args: unknown[]) => void;
    if (first) this.#server.prependListener(event, fn);
    else this.#server.on(event, fn);
    this.#cleanups.push(() => this.#server.off(event, fn));
  }

  #addHttp(socket: Duplex): HttpSocketState {
    const state: HttpSocketState = { responses: new Set(), idleTimer: undefined };
    this.#http.set(socket, state);
    this.#scheduleIdleClose(socket, state);
    return state;
  }

  #addOpaque(socket: Duplex): void {
    this.#opaque.add(socket);
    socket.once('close', () => this.#opaque.delete(socket));
    this.#handOver(socket);
  }

  #forget(socket: Duplex): void {
    const state = this.#http.get(socket);
    if (state !== undefined) clearTimeout(state.idleTimer);
    this.#http.delete(socket);
  }

  #onRequest(req: IncomingMessage, res: ServerResponse): void {
    const socket = req.socket;
    const state = this.#http.get(socket) ?? this.#addHttp(socket);
    clearTimeout(state.idleTimer);
    state.idleTimer = undefined;
    state.responses.add(res);
    if (this.#draining !== undefined) closeAfter(res);
    res.once('close', () => {
      state.responses.delete(res);
      this.#scheduleIdleClose(socket, state);
    });
  }

  /** While draining, closes a socket with no request in progress once it stayed idle for the grace period. */
  #scheduleIdleClose(socket: Duplex, state: HttpSocketState): void {
    const draining = this.#draining;
    if (draining === undefined || state.responses.size > 0 || socket.destroyed) return;
    clearTimeout(state.idleTimer);
    state.idleTimer = setTimeout(() => {
      if (state.responses.size === 0) socket.destroy();
    }, draining.idleGraceMs);
  }

  #handOver(socket: Duplex): void {
    const draining = this.#draining;
    if (draining?.drainSocket === undefined) return;
    try {
      draining.drainSocket(socket);
    } catch {
      socket.destroy();
    }
  }

  #checkDrained(): void {
    if (this.#draining !== undefined && this.#sockets.size === 0) {
      this.dispose();
      this.#draining.resolve();
    }
  }
}

/** Makes the response end its connection: Node then closes the socket once it is sent. */
function closeAfter(res: ServerResponse): void {
  if (!res.headersSent) res.setHeader('Connection', 'close');
}

/**
 * Starts tracking `server`'s connections (and, for `http`/`https` servers, the requests on
 * each) so that it can be drained without resetting anyone: see {@link ConnectionTracker}.
 * Call it before the server listens. {@link serve} does this for you; adapters that manage
 * the listener themselves can use it directly.
 *
 * @param server - any `net.Server`; `http.Server` and `https.Server` get request-aware draining.
 * @returns the tracker.
 * @example
 * ```ts
 * const tracker = trackConnections(server);
 * await listenOnFd(server);
 * onGracefulShutdown(async ({ abortSignal }) => {
 *   net.Server.prototype.close.call(server);
 *   await tracker.drain({ signal: abortSignal });
 * });
 * ```
 */
export function trackConnections(server: Server): ConnectionTracker {
  return new Tracker(server);
}
