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

/** The engine.io socket of a Socket.IO socket, or the WebSocket itself. */
const conn = (ws: WebSocketLike | { readonly conn: EngineSocketLike }): Conn =>
  'conn' in ws ? ws.conn : ws;

interface OnDrainStart {
  [ON_DRAIN_START]?: (callback: () => void) => void;
}

/**
 * Drains the WebSockets of a `ws` `WebSocketServer` (or anything shaped like one) attached to
 * `server`, with the same engine as every other connection: when the drain starts it stops
 * accepting upgrades (`wss.close()`: `ws` answers later upgrade requests with
 * `503 Service Unavailable` and `Connection: close`), and each open WebSocket gets a close
 * frame with code 1001 (going away) once the grace period is over and no message the app
 * marked {@link WebSocketDrain.busy} is in progress on it. Clients reconnect, and the listening
 * socket, held by the master, hands them to the next generation. What is still open at the
 * drain's deadline is destroyed with the rest.
 *
 * `@einhorn/net` does not depend on `ws`: any server that emits `'connection'` with
 * `(socket, request)` and has `close()` works. A Socket.IO `Server` works too: new handshakes
 * are refused with 503 once draining, and after the grace each client's transport is closed
 * (`conn.close()`), which socket.io-client answers by reconnecting (see the WebSockets guide).
 *
 * @param server - the `http.Server` or `https.Server` whose `'upgrade'` requests `wss` handles
 *   (`new WebSocketServer({ server })` or `{ noServer: true }` with your own `'upgrade'` listener).
 * @param wss - the WebSocket server.
 * @param options - see {@link WebSocketDrainOptions}.
 * @returns a {@link WebSocketDrain}: pass its `drainSocket` to `serve()` or `drainOnShutdown()`.
 * @throws EinhornError `ERR_EINHORN_INVALID_OPTIONS` for malformed options or arguments.
 * @example
 * ```ts
 * const server = createServer();
 * const wss = new WebSocketServer({ server });
 * const sockets = drainWebSockets(server, wss);
 * wss.on('connection', (ws) => ws.on('message', (data) => ws.send(data)));
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
  const byWs = new WeakMap<Conn, Entry>();
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
    // Once draining, a new handshake (no `sid`) gets 503: the client retries on the listener.
    engine.use((req, res, next) => {
      if (!stopped || /[?&]sid=/.test(req.url ?? '')) next();
      else if (req.headers.upgrade === undefined)
        res.writeHead(503, { connection: 'close', 'retry-after': '0' }).end();
      else req.socket.end(REFUSAL);
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
      const entry = byWs.get(conn(ws));
      if (entry !== undefined) entry.busy += 1;
    },
    idle: (ws) => {
      const entry = byWs.get(conn(ws));
      if (entry === undefined || entry.busy === 0) return;
      entry.busy -= 1;
      closeIfDone(entry);
    },
  };
}
