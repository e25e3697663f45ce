import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Server } from 'node:net';
import type { Duplex } from 'node:stream';
import type {
  AckResult,
  AckVia,
  ListenOnFdOptions,
  ShutdownOptions,
  WorkerContext,
} from '@einhorn/worker';

/** Where {@link serve} listens when the process is not under Einhorn at all (local development). */
export type FallbackListen =
  | {
      /** TCP port; 0 picks a free one. */
      readonly port: number;
      /** @default '::' or '0.0.0.0', as `server.listen` chooses */
      readonly host?: string;
    }
  | {
      /** UNIX socket path. */
      readonly path: string;
    };

/** What starts a drain: the shutdown signal, or a call to {@link ServeHandle.close}. */
export interface DrainEvent {
  /** The signal received, or `'close'` for {@link ServeHandle.close}. */
  readonly trigger: NodeJS.Signals | 'close';
  /** When the deadline passes, in `Date.now()` milliseconds. */
  readonly deadline: number;
  /** Aborted at the deadline (or on a second signal); every remaining connection is destroyed then. */
  readonly abortSignal: AbortSignal;
}

/** Options for {@link ConnectionTracker.drain}. */
export interface DrainOptions {
  /**
   * How long a keep-alive socket must stay idle (no request in progress) after draining
   * started, or after its last response, before it is closed. A socket that merely looks idle
   * may already carry the client's next request in the kernel buffer; closing it at once (as
   * `http.Server.close()` does since Node 19) resets that request. During the grace period
   * such a request arrives, is answered with `Connection: close`, and the socket then closes
   * cleanly. For an `http2` server: how long after the GOAWAY notice each session is closed
   * with the final GOAWAY (its open streams still finish).
   * @default 1000
   */
  readonly idleGraceMs?: number;
  /**
   * Asks a connection whose protocol the tracker does not speak to finish: connections of a
   * plain `net.Server`, and HTTP sockets taken over by an `'upgrade'` or `'connect'` listener
   * (WebSockets, tunnels). Called once per such socket while draining, when it is idle: a
   * socket the app marks with `busy()`/`idle()` (see `ConnectionTracker`) once no request has
   * been open on it for `idleGraceMs` (its client's next request may already be on the wire);
   * a socket the app never marked, at once. Send your protocol's goodbye and end the socket.
   * @default none: a raw connection that the app marks busy and idle is ended once it stayed
   *   idle for `idleGraceMs`; any other such socket is destroyed at the deadline
   */
  readonly drainSocket?: (socket: Duplex) => void;
  /** Destroys every remaining connection when aborted (the drain deadline). */
  readonly signal?: AbortSignal;
}

/**
 * Tracks a server's connections and, for HTTP servers, the requests in flight on each, so
 * that the server can be drained without dropping a request. Created by {@link trackConnections}.
 */
export interface ConnectionTracker {
  /** Open connections (accepted and not yet closed). */
  readonly connections: number;
  /**
   * Requests in progress: HTTP sockets whose latest response has not finished, plus raw
   * connections marked {@link ConnectionTracker.busy}.
   */
  readonly activeRequests: number;
  /** Whether {@link ConnectionTracker.drain} was called. */
  readonly isDraining: boolean;
  /**
   * Starts draining: every response not yet started gets `Connection: close`, idle HTTP
   * sockets are closed after the grace period, other sockets go to `drainSocket`. Does not
   * close the listener: do that first (`net.Server.prototype.close.call(server)`).
   * @returns a promise that resolves when every tracked connection has closed; calling it
   *   again returns the same promise.
   */
  drain(options?: DrainOptions): Promise<void>;
  /**
   * Marks a raw connection busy: a request is being served on it, so a drain will not end it
   * until the matching {@link ConnectionTracker.idle}. This is how a server whose protocol the
   * tracker does not speak (a line protocol on a plain `net.Server`) drains without cutting a
   * reply in flight. Calls nest: each `busy()` needs one `idle()`.
   * @param socket - a connection of the tracked server.
   */
  busy(socket: Duplex): void;
  /**
   * Ends one {@link ConnectionTracker.busy}. While draining, a connection that becomes idle goes
   * to `drainSocket`, or is ended once it stayed idle for `idleGraceMs`. To close a busy
   * connection right after its reply, check {@link ConnectionTracker.isDraining} when you
   * write the reply and end the socket with it, carrying your protocol's goodbye.
   * @param socket - a connection passed to `busy()` before; other sockets are ignored.
   */
  idle(socket: Duplex): void;
  /** Destroys every tracked connection now. */
  destroyAll(): void;
  /** Stops tracking: removes the listeners and timers this tracker added. */
  dispose(): void;
}

/** Where a {@link ServeHandle} is in its life. */
export type ServeState = 'serving' | 'draining' | 'closed';

/**
 * Options for {@link drainOnShutdown}: how a server drains. {@link serve} and every adapter take
 * the same options under the same names.
 */
export interface DrainOnShutdownOptions
  extends
    Pick<ShutdownOptions, 'signals' | 'timeoutMs' | 'exit' | 'onTimeout'>,
    Pick<DrainOptions, 'idleGraceMs' | 'drainSocket'> {
  /** Runs when draining starts, next to the connection drain; draining ends when both are done. */
  readonly onDrain?: (event: DrainEvent) => void | Promise<void>;
  /**
   * Runs once every connection has closed (or the deadline destroyed them), before `closed`
   * settles and the process exits: close database pools and other resources that in-flight
   * requests were still using. Bounded by the same deadline.
   */
  readonly afterDrain?: (event: DrainEvent) => void | Promise<void>;
}

/** Options for {@link serve}. */
export interface ServeOptions extends ListenOnFdOptions, DrainOnShutdownOptions {
  /**
   * `'auto'`: ACK once the server listens and `ready` resolved. `'manual'`: call
   * {@link ServeHandle.ack} yourself.
   * @default 'auto'
   */
  readonly ack?: 'auto' | 'manual';
  /** Awaited after the server listens and before the automatic ACK: warm caches, open pools. */
  readonly ready?: () => void | Promise<void>;
  /**
   * How long the ACK may take.
   * @default 5000
   */
  readonly ackTimeoutMs?: number;
  /**
   * Which connection carries the ACK; see `AckVia` in `@einhorn/worker`.
   * @default 'auto'
   */
  readonly ackVia?: AckVia;
  /**
   * Ask the master to confirm that the ACK counted (an `einhorn-node` extension; the Ruby
   * einhorn never replies, so there it behaves like a plain ACK). See `AckOptions.confirm` in
   * `@einhorn/worker`.
   * @default false
   */
  readonly ackConfirm?: boolean;
  /**
   * Where to listen when the process is not under a socket manager at all (no `EINHORN_*` and
   * no systemd `LISTEN_*` variable, `ERR_EINHORN_ENV_MISSING`): an explicit development mode;
   * nothing is ACKed then. Without it, {@link serve} rejects. A process that has Einhorn
   * variables but is not the worker (a grandchild, a wrapper) is never silently moved to the
   * fallback. Without `host`, it listens on every interface, as `server.listen({ port })` does.
   * @default none
   */
  readonly fallback?: FallbackListen;
}

/** A server draining through {@link drainOnShutdown}. */
export interface DrainHandle<TServer extends Server = Server> {
  /** The server passed in. */
  readonly server: TServer;
  /** `'serving'`, then `'draining'`, then `'closed'`. */
  readonly state: ServeState;
  /** `true` from the moment draining starts; readiness checks should fail from then on. */
  readonly isDraining: boolean;
  /** The connection tracker: `connections`, `activeRequests`, and `busy()`/`idle()` for raw protocols. */
  readonly connections: ConnectionTracker;
  /**
   * Drains now, as the shutdown signal would, but does not exit the process; then removes the
   * signal handler. Rejects with `ERR_EINHORN_SHUTDOWN_TIMEOUT` when the deadline had to
   * destroy connections.
   */
  close(): Promise<void>;
  /** Settles when draining has finished, the same way as {@link DrainHandle.close}. */
  readonly closed: Promise<void>;
  /**
   * Removes the signal handler and stops tracking, without draining (a drain already under way
   * keeps running).
   */
  uninstall(): void;
}

/** A server running under {@link serve}. */
export interface ServeHandle<TServer extends Server = Server> extends DrainHandle<TServer> {
  /** Who this worker is (pid, child index, fds); `undefined` when serving on the fallback. */
  readonly context: WorkerContext | undefined;
  /**
   * Sends the ACK (needed only with `ack: 'manual'`; idempotent) and resolves with what the
   * master said (`AckResult` from `@einhorn/worker`). Resolves `undefined` without sending
   * anything on the fallback.
   */
  ack(): Promise<AckResult | undefined>;
}

/** Options for {@link createHealthHandler}. */
export interface HealthHandlerOptions {
  /**
   * Whether the worker is draining.
   * @default () => isShuttingDown() from @einhorn/worker, or any serve() handle draining
   */
  readonly isDraining?: () => boolean;
}

/** Published on `einhorn:net:drain`. */
export type DrainMessage =
  | {
      readonly phase: 'start';
      readonly trigger: NodeJS.Signals | 'close';
      readonly connections: number;
      readonly activeRequests: number;
    }
  | { readonly phase: 'done'; readonly outcome: 'drained' | 'timed-out' };

/** The parts of a `ws` `WebSocket` that {@link drainWebSockets} uses. */
export interface WebSocketLike {
  /** `1` while open (`WebSocket.OPEN`). */
  readonly readyState: number;
  /** Starts the closing handshake with `code` and `reason`. */
  close(code?: number, reason?: string): void;
  once(event: 'close', listener: () => void): unknown;
}

/**
 * The parts of a `ws` `WebSocketServer` that {@link drainWebSockets} uses: `@einhorn/net` does
 * not depend on `ws`, any object of this shape works.
 */
export interface WebSocketServerLike {
  /** Emitted for each WebSocket, with the upgrade request. */
  on(
    event: 'connection',
    listener: (socket: WebSocketLike, request: IncomingMessage) => void,
  ): unknown;
  /** Stops accepting WebSockets (`ws` answers 503), leaves open ones open. */
  close(): void;
}

/** A Socket.IO `Server` (its engine.io server). */
export interface SocketIoServerLike {
  readonly engine: {
    on(event: 'connection', listener: (socket: EngineSocketLike) => void): unknown;
    use(
      fn: (req: IncomingMessage, res: ServerResponse, next: (e?: Error) => void) => void,
    ): unknown;
  };
}

/** An engine.io `Socket` (`socket.conn` in Socket.IO). */
export interface EngineSocketLike {
  readonly readyState: string;
  readonly request: IncomingMessage;
  close(): void;
  once(event: 'close', listener: () => void): unknown;
}

/** Options for {@link drainWebSockets}. */
export interface WebSocketDrainOptions {
  /**
   * The close code each WebSocket gets.
   * @default 1001 (going away)
   */
  readonly code?: number;
  /**
   * The close reason (at most 123 bytes of UTF-8).
   * @default 'server going away'
   */
  readonly reason?: string;
  /**
   * How long after draining starts an open WebSocket keeps being served before it gets its
   * close frame (and then only once no message marked `busy()` is in progress on it).
   * @default 1000
   */
  readonly graceMs?: number;
  /**
   * For other sockets taken over from the server (not WebSockets of this `wss`): your
   * protocol's goodbye, as `drainSocket` of {@link DrainOptions}.
   * @default none: they are left to the deadline
   */
  readonly drainSocket?: (socket: Duplex) => void;
}

/** Returned by {@link drainWebSockets}. */
export interface WebSocketDrain {
  /** Pass it to `serve()` or `drainOnShutdown()` as their `drainSocket` option. */
  readonly drainSocket: (socket: Duplex) => void;
  /**
   * Marks a message in progress on `ws` (a Socket.IO socket too): its close waits for the
   * matching {@link WebSocketDrain.idle}. Calls nest. Not needed for synchronous replies.
   */
  busy(ws: WebSocketLike | { readonly conn: object }): void;
  /** Ends one {@link WebSocketDrain.busy}; a draining socket that becomes idle is closed then. */
  idle(ws: WebSocketLike | { readonly conn: object }): void;
}
