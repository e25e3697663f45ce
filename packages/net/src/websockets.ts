import type { IncomingMessage } from 'node:http';
import type { Server } from 'node:net';
import type { Duplex } from 'node:stream';
import { trackConnections } from './connection-tracker.ts';
import { ON_DRAIN_START } from './internal/net-state.ts';
import { validateWebSocketDrainOptions } from './internal/validate.ts';
import type {
  EngineSocketLike,
  SocketIoServerLike,
  WebSocketDrain,
  WebSocketDrainOptions,
  WebSocketLike,
  WebSocketServerLike,
} from './types.ts';

const GOING_AWAY = 1001;
const OPEN = 1;
const REFUSAL =
  'HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nRetry-After: 0\r\nContent-Length: 0\r\n\r\n';

type Conn = WebSocketLike | EngineSocketLike;

interface Entry {
  readonly ws: Conn;
  /** Messages the app marked in progress with `busy()` and not yet `idle()`. */
  busy: number;
  /** Whether the drain asked this socket to go: it closes once it is idle and the grace is over. */
  leaving: boolean;
  graceOver: boolean;
  timer: NodeJS.Timeout | undefined;
}

interface OnDrainStart {
  [ON_DRAIN_START]?: (callback: () => void) => void;
}

/**
 * Drains the WebSockets of a `ws` `WebSocketServer` (or a Socket.IO `Server`) attached to
 * `server` with the common engine: once draining, new upgrades (or handshakes) are refused;
 * after `graceMs`, each socket with no {@link WebSocketDrain.busy} message gets close code 1001
 * (Socket.IO: its transport closes), and clients reconnect to the next generation. What is
 * still open at the deadline is destroyed. Needs neither library: see the WebSockets guide.
 *
 * @param server - the `http.Server` or `https.Server` whose `'upgrade'` requests `wss` handles.
 * @param wss - the `ws` server, or the Socket.IO server.
 * @param options - see {@link WebSocketDrainOptions}.
 * @returns a {@link WebSocketDrain}: pass its `drainSocket` to `serve()` or `drainOnShutdown()`.
 * @throws EinhornError `ERR_EINHORN_INVALID_OPTIONS` for malformed options or arguments.
 * @example
 * ```ts
 * const sockets = drainWebSockets(server, new WebSocketServer({ server }));
 * await serve(server, { drainSocket: sockets.drainSocket });
 * ```
 */
export function drainWebSockets(
  server: Server,
  wss: WebSocketServerLike | SocketIoServerLike,
  options: WebSocketDrainOptions = {},
): WebSocketDrain {
  validateWebSocketDrainOptions(server, wss, options);
  const tracker = trackConnections(server);
  const code = options.code ?? GOING_AWAY;
  const reason = options.reason ?? 'server going away';
  const graceMs = options.graceMs ?? 1000;
  const bySocket = new WeakMap<Duplex, Entry>();
  const byWs = new WeakMap<object, Entry>();
  const engine = 'engine' in wss ? wss.engine : undefined;
  const live = new Set<Entry>();
  let stopped = false;

  const closeIfDone = (entry: Entry): void => {
    const { ws } = entry;
    if (!entry.leaving || !entry.graceOver || entry.busy > 0) return;
    if (ws.readyState === OPEN) (ws as WebSocketLike).close(code, reason);
    // engine.io: closing the transport ("transport close") makes socket.io-client reconnect.
    else if (ws.readyState === 'open') (ws as EngineSocketLike).close();
  };
  const leave = (entry: Entry, afterMs: number): void => {
    if (entry.leaving) return;
    entry.leaving = true;
    entry.timer = setTimeout(() => {
      entry.graceOver = true;
      closeIfDone(entry);
    }, afterMs);
  };
  /** Stops new upgrades; `ws` answers them with 503 from now on. */
  const stopUpgrades = (): void => {
    if (stopped) return;
    stopped = true;
    // engine.io keeps serving live sessions, whatever their transport: all of them go.
    if (engine !== undefined) for (const entry of live) leave(entry, graceMs);
    else (wss as WebSocketServerLike).close();
    // `new WebSocketServer({ server })` removes its 'upgrade' listener on close(): without one,
    // Node would hand the next upgrade request to the 'request' listener. Checked after the
    // tracker's own listener has followed (watchTakeovers syncs in a microtask queued first).
    queueMicrotask(() => {
      if (server.listenerCount('upgrade') === 0)
        server.on('upgrade', (_req: IncomingMessage, socket: Duplex) => {
          socket.end(REFUSAL);
        });
    });
  };

  const onConnection = (ws: Conn, request: IncomingMessage): void => {
    const entry: Entry = { ws, busy: 0, leaving: false, graceOver: false, timer: undefined };
    bySocket.set(request.socket, entry);
    byWs.set(ws, entry);
    live.add(entry);
    ws.once('close', () => {
      live.delete(entry);
      clearTimeout(entry.timer);
    });
    // Upgraded while the drain was starting: it goes at once.
    if (tracker.isDraining) leave(entry, 0);
  };
  if (engine === undefined) (wss as WebSocketServerLike).on('connection', onConnection);
  else {
    engine.on('connection', (socket) => {
      onConnection(socket, socket.request);
    });
    // Once draining, engine.io refuses a new handshake (no `sid`) with 400: the client retries.
    engine.use((req, _res, next) => {
      next(!stopped || /[?&]sid=/.test(req.url ?? '') ? undefined : new Error('draining'));
    });
  }
  (tracker as OnDrainStart)[ON_DRAIN_START]?.(stopUpgrades);

  return {
    drainSocket: (socket) => {
      stopUpgrades();
      const entry = bySocket.get(socket);
      if (entry !== undefined) leave(entry, graceMs);
      else options.drainSocket?.(socket);
    },
    busy: (ws) => {
      const entry = byWs.get((ws as { conn?: object }).conn ?? ws);
      if (entry !== undefined) entry.busy += 1;
    },
    idle: (ws) => {
      const entry = byWs.get((ws as { conn?: object }).conn ?? ws);
      if (entry === undefined || entry.busy === 0) return;
      entry.busy -= 1;
      closeIfDone(entry);
    },
  };
}
