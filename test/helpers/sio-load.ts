// Socket.IO clients that count messages, for upgrade-under-load tests of a Socket.IO echo server
// (test/fixtures/socketio-echo.mjs). The same protocol as ws-load.ts, with acks for echoes: each
// client numbers its messages (`<client>:<seq>`), keeps up to `window` unacknowledged, and the
// server acknowledges each one with {echo, pid}. On disconnect socket.io-client reconnects by
// itself (or not: the reason says which); after the new server's 'hello' {pid} the client sends
// again, in order, every message not yet acknowledged. Lost = no ack at all once stopped.
import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';

export interface SioClientReport {
  readonly sent: number;
  /** Acks received per message number. */
  readonly echoes: readonly number[];
  readonly resent: number;
  /** The pid in each hello, one per connection, in order. */
  readonly helloPids: readonly number[];
  /** The reason of every disconnect before stop() ('transport close', 'io server disconnect', …). */
  readonly reasons: readonly string[];
  /** connect_error messages (a refused handshake, …); socket.io-client retries after each. */
  readonly connectErrors: readonly string[];
  readonly transport: 'websocket' | 'polling';
  /** socket.io-client's `socket.active`: false once it will not reconnect by itself. */
  readonly active: boolean;
}

export interface SioLoad {
  /** The pid in each ack, in order (all clients). */
  readonly pids: number[];
  readonly clients: readonly SioClientReport[];
  /** Stops sending, waits for every outstanding ack, disconnects and reports. */
  stop(): Promise<SioClientReport[]>;
  /** Disconnects every client at once. */
  close(): void;
}

class Client implements SioClientReport {
  sent = 0;
  readonly echoes: number[] = [];
  resent = 0;
  readonly helloPids: number[] = [];
  readonly reasons: string[] = [];
  readonly connectErrors: string[] = [];
  readonly #unacked = new Map<number, string>();
  readonly #socket: Socket;
  readonly #id: number;
  readonly #window: number;
  readonly #pids: number[];
  readonly transport: 'websocket' | 'polling';
  #greeted = false;
  #stopping = false;
  #settled: (() => void) | undefined;

  constructor(
    url: string,
    id: number,
    window: number,
    transport: 'websocket' | 'polling',
    pids: number[],
  ) {
    this.transport = transport;
    this.#pids = pids;
    this.#id = id;
    this.#window = window;
    // 'polling' starts with long-polling and upgrades to WebSocket (the default); 'websocket'
    // uses WebSocket only. A short reconnection delay keeps the test quick; any delay works.
    this.#socket = io(url, {
      transports: transport === 'websocket' ? ['websocket'] : ['polling', 'websocket'],
      reconnectionDelay: 20,
      reconnectionDelayMax: 100,
    });
    this.#socket.on('hello', (hello: { pid: number }) => {
      this.#greeted = true;
      this.helloPids.push(hello.pid);
      // Sent on an earlier connection and never acknowledged: send again, in order.
      for (const [seq, text] of this.#unacked) {
        if (this.helloPids.length > 1) this.resent += 1;
        this.#emit(seq, text);
      }
      this.#fill();
    });
    this.#socket.on('disconnect', (reason) => {
      this.#greeted = false;
      if (!this.#stopping || this.#unacked.size > 0) this.reasons.push(reason);
    });
    this.#socket.on('connect_error', (error) => {
      this.connectErrors.push(error.message);
    });
  }

  get active(): boolean {
    return this.#socket.active;
  }

  /** Disconnects without waiting (after a failure, or for clients that will not reconnect). */
  close(): void {
    this.#socket.disconnect();
  }

  stop(): Promise<void> {
    this.#stopping = true;
    return new Promise<void>((resolve) => {
      this.#settled = resolve;
      this.#fill();
    });
  }

  #emit(seq: number, text: string): void {
    this.#socket.emit('echo', text, (reply: { echo: string; pid: number }) => {
      const acked = Number(reply.echo.split(':')[1]);
      this.echoes[acked] = (this.echoes[acked] ?? 0) + 1;
      this.#pids.push(reply.pid);
      this.#unacked.delete(seq);
      this.#fill();
    });
  }

  #fill(): void {
    // Only on a greeted, connected socket: socket.io-client would otherwise buffer the message
    // and send it after reconnecting, next to the resend.
    if (!this.#greeted || !this.#socket.connected) return;
    if (this.#stopping) {
      if (this.#unacked.size === 0) {
        this.#socket.disconnect();
        this.#settled?.();
      }
      return;
    }
    while (this.#unacked.size < this.#window) {
      const seq = this.sent;
      this.sent += 1;
      const text = `${this.#id}:${seq}`;
      this.#unacked.set(seq, text);
      this.#emit(seq, text);
    }
  }
}

/** Starts `clients` Socket.IO clients on `url` with the given transports. */
export function sioLoad(
  url: string,
  clients: number,
  transport: 'websocket' | 'polling',
  window = 4,
): SioLoad {
  const pids: number[] = [];
  const all = Array.from(
    { length: clients },
    (_, id) => new Client(url, id, window, transport, pids),
  );
  return {
    pids,
    clients: all,
    async stop() {
      await Promise.all(all.map((client) => client.stop()));
      return all;
    },
    close() {
      for (const client of all) client.close();
    },
  };
}

/** Message numbers with no ack, and with more than one. */
export function lostAndDuplicated(report: SioClientReport): {
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
