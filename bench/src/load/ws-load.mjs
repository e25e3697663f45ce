// Generated from test/helpers/ws-load.ts (types stripped) for the bench; keep the two in step.
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

const REFUSED_HANDSHAKE = 'Unexpected server response: 503';

class Client {
  sent = 0;
  echoes = [];
  resent = 0;
  helloPids = [];
  closeCodes = [];
  refusedHandshakes = 0;
  errors = [];
  #unacked = new Map();
  #socket;
  #stopping = false;
  #settled;
  #url;
  #id;
  #window;

  #onEcho;

  constructor(url, id, options) {
    this.#onEcho = options.onEcho;
    this.#url = url;
    this.#id = id;
    this.#window = options.window;
  }

  connect() {
    const socket = new WebSocket(this.#url);
    this.#socket = socket;
    let greeted = false;
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString('utf8'));

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
  stop() {
    this.#stopping = true;
    return new Promise((resolve) => {
      this.#settled = resolve;
      this.#fill();
    });
  }

  #fill() {
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
export function wsLoad(url, clients, window = 4) {
  const pids = [];
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
export function lostAndDuplicated(report) {
  const lost = [];
  const duplicated = [];
  for (let seq = 0; seq < report.sent; seq += 1) {
    const count = report.echoes[seq] ?? 0;
    if (count === 0) lost.push(seq);
    if (count > 1) duplicated.push(seq);
  }
  return { lost, duplicated };
}
