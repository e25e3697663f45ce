import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Server, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { Http2Sessions, isHttp2Server } from './internal/http2-sessions.ts';
import type { Http2SessionLike } from './internal/http2-sessions.ts';
import { ON_DRAIN_START, netState } from './internal/net-state.ts';
import { watchTakeovers } from './internal/takeover-listeners.ts';
import type { ConnectionTracker, DrainOptions } from './types.ts';

const DEFAULT_IDLE_GRACE_MS = 1000;

/** The methods that tell an http/https server (and a TLS one) from a plain net.Server. */
interface HttpLike {
  closeIdleConnections(): void;
  addContext(hostname: string, context: unknown): void;
}

/** The latest request on one socket that carries HTTP; earlier ones have finished (HTTP/1.1 answers in order). */
interface HttpSocketState {
  res: ServerResponse | undefined;
  idleTimer: NodeJS.Timeout | undefined;
}

/** A socket whose protocol we do not speak: a raw `net` connection or an upgraded HTTP socket. */
interface OpaqueSocketState {
  /** Open `busy()` calls not yet matched by `idle()`. */
  busy: number;
  /** Whether the app ever called `busy()` on it: only then do we know when it is idle. */
  managed: boolean;
  /** `true` for a plain `net.Server` connection, `false` for a socket taken over from HTTP. */
  readonly raw: boolean;
  idleTimer: NodeJS.Timeout | undefined;
}

interface Draining {
  readonly promise: Promise<void>;
  readonly resolve: () => void;
  readonly idleGraceMs: number;
  readonly drainSocket: ((socket: Duplex) => void) | undefined;
}

function isInFlight(res: ServerResponse | undefined): res is ServerResponse {
  return res !== undefined && !res.writableFinished;
}

/** Makes the response end its connection: Node then closes the socket once it is sent. */
function closeAfter(res: ServerResponse): void {
  if (!res.headersSent) res.setHeader('Connection', 'close');
}

// Steady state costs one Map lookup and one assignment per request and no listener, timer or
// closure: everything else happens only once draining has started.
class Tracker implements ConnectionTracker {
  /** Every accepted connection: what "drained" waits for and what the deadline destroys. */
  readonly #sockets = new Set<Duplex>();
  /** Sockets that carry HTTP (for TLS servers, the TLS sockets), with their latest response. */
  readonly #http = new Map<Duplex, HttpSocketState>();
  readonly #opaque = new Map<Duplex, OpaqueSocketState>();
  readonly #isHttp: boolean;
  readonly #isTls: boolean;
  /** The sessions of a `node:http2` server (TLS or h2c); `undefined` for any other server. */
  readonly #http2: Http2Sessions | undefined;
  readonly #server: Server;
  readonly #cleanups: (() => void)[] = [];
  #draining: Draining | undefined;
  readonly #onDrainStart: (() => void)[] = [];

  constructor(server: Server) {
    this.#server = server;
    // Duck-typed, so that tracking a plain HTTP server never loads node:https and node:tls:
    // http.Server and https.Server have closeIdleConnections(), tls.Server has addContext().
    // http2.Http2SecureServer has closeIdleConnections() too, but speaks HTTP/2: its sessions
    // are drained by Http2Sessions, never as HTTP/1 sockets.
    const isHttp2 = isHttp2Server(server);
    this.#isHttp =
      !isHttp2 && typeof (server as Partial<HttpLike>).closeIdleConnections === 'function';
    const isTls = typeof (server as Partial<HttpLike>).addContext === 'function';
    this.#isTls = isTls;
    this.#http2 = isHttp2 ? new Http2Sessions() : undefined;
    const http2 = this.#http2;
    if (http2 !== undefined)
      this.#on('session', (session: Http2SessionLike) => {
        http2.add(session);
      });
    this.#on('connection', (socket: Socket) => {
      this.#sockets.add(socket);
      socket.once('close', () => {
        this.#sockets.delete(socket);
        this.#forget(socket);
        this.#checkDrained();
      });
      if (!this.#isHttp && http2 === undefined) this.#addOpaque(socket, true);
      else if (this.#draining !== undefined && !isTls)
        this.#scheduleHttpIdleClose(socket, this.#addHttp(socket));
    });
    if (this.#isHttp && isTls) {
      this.#on('secureConnection', (socket: Duplex) => {
        const state = this.#addHttp(socket);
        this.#scheduleHttpIdleClose(socket, state);
      });
    }
    if (this.#isHttp) {
      this.#on(
        'request',
        (req: IncomingMessage, res: ServerResponse) => {
          const socket = req.socket;
          const state = this.#http.get(socket) ?? this.#addHttp(socket);
          state.res = res;
          if (this.#draining !== undefined) this.#drainResponse(socket, state, res);
        },
        true,
      );
      this.#cleanups.push(
        watchTakeovers(server, (socket) => {
          this.#forget(socket);
          this.#addOpaque(socket, false);
        }),
      );
    }
  }

  /** Runs `callback` when draining starts (now, if it has). */
  [ON_DRAIN_START](callback: () => void): void {
    if (this.#draining === undefined) this.#onDrainStart.push(callback);
    else callback();
  }

  get connections(): number {
    return this.#sockets.size;
  }

  get activeRequests(): number {
    let count = 0;
    for (const state of this.#http.values()) if (isInFlight(state.res)) count += 1;
    for (const state of this.#opaque.values()) if (state.busy > 0) count += 1;
    return count + (this.#http2?.busy ?? 0);
  }

  get isDraining(): boolean {
    return this.#draining !== undefined;
  }

  busy(socket: Duplex): void {
    const state = this.#opaque.get(socket) ?? this.#addOpaque(socket, true);
    state.busy += 1;
    state.managed = true;
    clearTimeout(state.idleTimer);
    state.idleTimer = undefined;
  }

  idle(socket: Duplex): void {
    const state = this.#opaque.get(socket);
    if (state === undefined || state.busy === 0) return;
    state.busy -= 1;
    if (state.busy === 0) this.#handOver(socket, state);
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
      if (isInFlight(state.res)) this.#drainResponse(socket, state, state.res);
      else this.#scheduleHttpIdleClose(socket, state);
    }
    if (this.#isHttp && !this.#isTls) {
      // Connections that never sent a request have no HTTP state yet: they are idle.
      for (const socket of this.#sockets)
        if (!this.#http.has(socket) && !this.#opaque.has(socket))
          this.#scheduleHttpIdleClose(socket, this.#addHttp(socket));
    }
    for (const [socket, state] of this.#opaque) this.#handOver(socket, state);
    this.#http2?.drain(this.#draining.idleGraceMs);
    for (const callback of this.#onDrainStart.splice(0)) callback();
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
    for (const socket of this.#opaque.keys()) socket.destroy();
  }

  dispose(): void {
    const trackers = netState().trackers;
    if (trackers.get(this.#server) === this) trackers.delete(this.#server);
    for (const cleanup of this.#cleanups.splice(0)) cleanup();
    this.#http2?.dispose();
    for (const state of this.#http.values()) clearTimeout(state.idleTimer);
    for (const state of this.#opaque.values()) clearTimeout(state.idleTimer);
  }

  #on(event: string, listener: (...args: never[]) => void, first = false): void {
    const fn = listener as (...args: unknown[]) => void;
    if (first) this.#server.prependListener(event, fn);
    else this.#server.on(event, fn);
    this.#cleanups.push(() => this.#server.off(event, fn));
  }

  #addHttp(socket: Duplex): HttpSocketState {
    const state: HttpSocketState = { res: undefined, idleTimer: undefined };
    this.#http.set(socket, state);
    // TLS sockets and sockets accepted before the tracker existed are not in #sockets.
    if (!this.#sockets.has(socket))
      socket.once('close', () => {
        this.#forget(socket);
      });
    return state;
  }

  #addOpaque(socket: Duplex, raw: boolean): OpaqueSocketState {
    const state: OpaqueSocketState = { busy: 0, managed: false, raw, idleTimer: undefined };
    this.#opaque.set(socket, state);
    if (!raw || !this.#sockets.has(socket))
      socket.once('close', () => {
        this.#forget(socket);
      });
    if (this.#draining !== undefined) this.#handOver(socket, state);
    return state;
  }

  #forget(socket: Duplex): void {
    const http = this.#http.get(socket);
    if (http !== undefined) clearTimeout(http.idleTimer);
    this.#http.delete(socket);
    const opaque = this.#opaque.get(socket);
    if (opaque !== undefined) clearTimeout(opaque.idleTimer);
    this.#opaque.delete(socket);
  }

  /** While draining: the response ends its connection, and the socket is closed if it then stays idle. */
  #drainResponse(socket: Duplex, state: HttpSocketState, res: ServerResponse): void {
    clearTimeout(state.idleTimer);
    state.idleTimer = undefined;
    closeAfter(res);
    res.once('close', () => {
      if (state.res === res) this.#scheduleHttpIdleClose(socket, state);
    });
  }

  /**
   * Closes an HTTP socket with no request in progress once it stayed idle for the grace period:
   * a socket that merely looks idle may already carry the client's next request.
   */
  #scheduleHttpIdleClose(socket: Duplex, state: HttpSocketState): void {
    const draining = this.#draining;
    if (draining === undefined || socket.destroyed || isInFlight(state.res)) return;
    clearTimeout(state.idleTimer);
    state.idleTimer = setTimeout(() => {
      if (!isInFlight(state.res)) socket.destroy();
    }, draining.idleGraceMs);
  }

  /**
   * While draining, asks an idle opaque socket to finish. A socket the app marks busy/idle must
   * first stay idle for the grace period (like an idle HTTP socket: its client's next request
   * may be on the wire), then goes to `drainSocket`, or is ended without one. A socket the app
   * never marked goes to `drainSocket` at once (we cannot know more), or waits for the deadline.
   */
  #handOver(socket: Duplex, state: OpaqueSocketState): void {
    const draining = this.#draining;
    if (draining === undefined || state.busy > 0 || socket.destroyed) return;
    const finish = (): void => {
      if (draining.drainSocket === undefined) {
        socket.end();
        return;
      }
      try {
        draining.drainSocket(socket);
      } catch {
        socket.destroy();
      }
    };
    if (!state.managed) {
      if (draining.drainSocket !== undefined) finish();
      return;
    }
    if (!state.raw && draining.drainSocket === undefined) return;
    clearTimeout(state.idleTimer);
    state.idleTimer = setTimeout(() => {
      if (state.busy === 0 && !socket.destroyed) finish();
    }, draining.idleGraceMs);
  }

  #checkDrained(): void {
    if (this.#draining !== undefined && this.#sockets.size === 0) {
      this.dispose();
      this.#draining.resolve();
    }
  }
}

/**
 * Starts tracking `server`'s connections (and, for `http`/`https` servers, the request in
 * flight on each) so that it can be drained without resetting anyone: see
 * {@link ConnectionTracker}. Call it before the server listens. {@link serve} and
 * {@link drainOnShutdown} do this for you, with the same tracker: one server has one tracker
 * until it is disposed, so a raw protocol can take it first for `busy()`/`idle()` and then
 * hand the server to {@link serve}.
 *
 * In steady state it costs one `Map` lookup per request and nothing per response; the work of
 * draining starts only when {@link ConnectionTracker.drain} is called.
 *
 * @param server - any `net.Server`; `http.Server` and `https.Server` get request-aware draining,
 *   raw connections get it through {@link ConnectionTracker.busy} and {@link ConnectionTracker.idle}.
 * @returns the server's tracker (the existing one when it has one).
 * @example
 * ```ts
 * const server = net.createServer((socket) => {
 *   socket.on('data', (request) => {
 *     connections.busy(socket);
 *     const reply = answer(request);
 *     if (connections.isDraining) socket.end(`${reply}bye\n`); // the last reply: say so
 *     else socket.write(reply);
 *     connections.idle(socket);
 *   });
 * });
 * const connections = trackConnections(server); // the tracker serve() drains with
 * await serve(server, { drainSocket: (socket) => socket.end('bye\n') });
 * ```
 */
export function trackConnections(server: Server): ConnectionTracker {
  const trackers = netState().trackers;
  let tracker = trackers.get(server);
  if (tracker === undefined) {
    tracker = new Tracker(server);
    trackers.set(server, tracker);
  }
  return tracker;
}
