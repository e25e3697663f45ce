// WebSocket clients that count messages, for upgrade-under-load tests of the websocket example.
//
// The client protocol (what "0 messages lost" means): each client numbers its messages
// (`<client>:<seq>`) and keeps up to `window` of them unacknowledged; the server echoes each one
// as {"echo":"<client>:<seq>","pid":…}. An echo acknowledges its message. When a connection
// closes (for the drain: code 1001), the client reconnects at once, waits for the new server's
// {"hello":{"pid":…}}, and sends again, in order, every message not yet acknowledged (those the
// old server may have received after its close frame was on the wire, which a server in the
// closing state can no longer answer). A message is lost when, after the client stopped and
// waited, it has no echo at all; duplicated when it has more than one. A handshake answered 503
// (it reached an old worker on a connection accepted just before that worker began to drain) is
// retried at once, like a connection closed with 1001: no message was sent on it.
import WebSocket from 'ws';

/** How `ws` reports a handshake that the server answered 503 (a draining server). */
const REFUSED_HANDSHAKE = 'Unexpected server response: 503';

export interface WsClientReport {
  /** Messages this client numbered (0 … sent - 1). */
  readonly sent: number;
  /** Echoes received per message number. */
  readonly echoes: readonly number[];
  /** Messages sent a second time on a new connection. */
  readonly resent: number;
  /** The pid in each hello, one per connection, in order. */
  readonly helloPids: readonly number[];
  /** The close code of every connection the server closed. */
  readonly closeCodes: readonly number[];
  /** Handshakes a draining server answered 503; each was retried. */
  readonly refusedHandshakes: number;
  /** Every other connection error (refused, another unexpected response, …). */
  readonly errors: readonly string[];
}

export interface WsLoad {
  /** The pid in each echo, in order (all clients). */
  readonly pids: number[];
  /** Live view of each client. */
  readonly clients: readonly WsClientReport[];
  /** Stops sending, waits for every outstanding echo, closes with 1000 and reports. */
  stop(): Promise<WsClientReport[]>;
}

class Client implements WsClientReport {
  sent = 0;
  readonly echoes: number[] = [];
  resent = 0;
  readonly helloPids: number[] = [];
  readonly closeCodes: number[] = [];
  refusedHandshakes = 0;
  readonly errors: string[] = [];
  readonly #unacked = new Map<number, string>();
  #socket: WebSocket | undefined;
  #stopping = false;
  #settled: (() => void) | undefined;
  readonly #url: string;
  readonly #id: number;
  readonly #window: number;

  readonly #onEcho: (pid: number) => void;

  constructor(
    url: string,
    id: number,
    options: { readonly window: number; readonly onEcho: (pid: number) => void },
  ) {
    this.#onEcho = options.onEcho;
    this.#url = url;
    this.#id = id;
    this.#window = options.window;
  }

  connect(): void {
    const socket = new WebSocket(this.#url);
    this.#socket = socket;
    let greeted = false;
    socket.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString('utf8')) as {
        hello?: { pid: number };
        echo?: string;
        pid?: number;
      };
      if (message.hello !== undefined) {
        greeted = true;
        this.helloPids.push(message.hello.pid);
        // Sent on an earlier connection and never echoed: send again, in order.
        for (const text of this.#unacked.values()) {
          if (this.helloPids.length > 1) this.resent += 1;
          socket.send(text);
        }
        this.#fill();
        return;
      }
      const seq = Number(message.echo?.split(':')[1]);
      this.echoes[seq] = (this.echoes[seq] ?? 0) + 1;
      this.#unacked.delete(seq);
      this.#onEcho(message.pid ?? 0);
      this.#fill();
    });
    socket.on('error', (error) => {
      if (!greeted && error.message === REFUSED_HANDSHAKE) this.refusedHandshakes += 1;
      else this.errors.push(error.message);
    });
    socket.on('close', (code) => {
      if (greeted && !(this.#stopping && this.#unacked.size === 0)) this.closeCodes.push(code);
      if (this.#stopping && this.#unacked.size === 0) this.#settled?.();
      else this.connect();
    });
  }

  /** Resolves once every message has its echo, then closes normally. */
  stop(): Promise<void> {
    this.#stopping = true;
    return new Promise<void>((resolve) => {
      this.#settled = resolve;
      this.#fill();
    });
  }

  #fill(): void {
    const socket = this.#socket;
    if (socket?.readyState !== WebSocket.OPEN) return;
    if (this.#stopping) {
      if (this.#unacked.size === 0) socket.close(1000);
      return;
    }
    while (this.#unacked.size < this.#window) {
      const seq = this.sent;
      this.sent += 1;
      const text = `${this.#id}:${seq}`;
      this.#unacked.set(seq, text);
      socket.send(text);
    }
  }
}

/** Starts `clients` WebSocket clients on `url`, each keeping `window` messages in flight. */
export function wsLoad(url: string, clients: number, window = 4): WsLoad {
  const pids: number[] = [];
  const all = Array.from(
    { length: clients },
    (_, id) => new Client(url, id, { window, onEcho: (pid) => pids.push(pid) }),
  );
  for (const client of all) client.connect();
  return {
    pids,
    clients: all,
    async stop() {
      await Promise.all(all.map((client) => client.stop()));
      return all;
    },
  };
}

/** Message numbers with no echo, and with more than one. */
export function lostAndDuplicated(report: WsClientReport): {
  lost: number[];
  duplicated: number[];
} {
  const lost: number[] = [];
  const duplicated: number[] = [];
  for (let seq = 0; seq < report.sent; seq += 1) {
    const count = report.echoes[seq] ?? 0;
    if (count === 0) lost.push(seq);
    if (count > 1) duplicated.push(seq);
  }
  return { lost, duplicated };
}
