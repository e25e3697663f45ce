// The fake master's command socket: a real UNIX socket server that frames lines and decodes
// them with @einhorn/core, records every request, and behaves like einhorn for worker
// commands: no reply, connection closed after `worker:ack` / `worker:ping`
// (docs/reference/protocol.md: "Connection lifecycle" and "ACK").
import { once } from 'node:events';
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { createLineSplitter } from '@einhorn/core';
import { readRequest } from '@einhorn/core/yaml';
import type { ReadRequestResult } from '@einhorn/core';
import { EVENT_TIMEOUT_MS } from './spawn-fixture.ts';

/** One line received on the command socket. */
export interface CommandRecord {
  /** The raw line, without its LF. */
  readonly line: string;
  /** How the master classified it. */
  readonly request: ReadRequestResult;
  /** `'fd'` when it came over the pre-connected `-g` connection, `'path'` for a fresh connection. */
  readonly route: 'path' | 'fd';
  /** Sequence number of the connection it arrived on. */
  readonly connection: number;
}

interface Waiter {
  readonly predicate: (record: CommandRecord) => boolean;
  readonly resolve: (record: CommandRecord) => void;
}

export class FakeCommandSocket {
  readonly records: CommandRecord[] = [];
  readonly #server: Server;
  readonly #waiters = new Set<Waiter>();
  readonly #open = new Set<Socket>();
  #connections = 0;
  #nextRoute: 'path' | 'fd' = 'path';

  private constructor(server: Server) {
    this.#server = server;
    server.on('connection', (socket) => {
      this.#accept(socket);
    });
  }

  static async listen(path: string): Promise<FakeCommandSocket> {
    const server = createServer();
    const socket = new FakeCommandSocket(server);
    server.listen(path);
    await once(server, 'listening');
    return socket;
  }

  /** Marks the next accepted connection as the `-g` one (call just before connecting it). */
  expectFdConnection(): void {
    this.#nextRoute = 'fd';
  }

  /** Resolves with the first record (past or future) that matches. */
  waitFor(
    predicate: (record: CommandRecord) => boolean,
    timeoutMs = EVENT_TIMEOUT_MS,
  ): Promise<CommandRecord> {
    const seen = this.records.find(predicate);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise<CommandRecord>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(
          new Error(
            `No matching command-socket line within ${timeoutMs} ms; received: ${JSON.stringify(this.records.map((r) => r.line))}`,
          ),
        );
      }, timeoutMs);
      const waiter: Waiter = {
        predicate,
        resolve: (record) => {
          clearTimeout(timer);
          resolve(record);
        },
      };
      this.#waiters.add(waiter);
    });
  }

  async close(): Promise<void> {
    for (const socket of this.#open) socket.destroy();
    this.#server.close();
    await once(this.#server, 'close');
  }

  #accept(socket: Socket): void {
    const connection = ++this.#connections;
    const route = this.#nextRoute;
    this.#nextRoute = 'path';
    this.#open.add(socket);
    socket.once('close', () => this.#open.delete(socket));
    socket.on('error', () => undefined);
    const splitter = createLineSplitter();
    socket.on('data', (chunk: Buffer) => {
      if (socket.destroyed) return;
      let lines: string[];
      try {
        lines = splitter.push(chunk);
      } catch {
        socket.destroy();
        return;
      }
      for (const line of lines) {
        const request = readRequest(line);
        this.#record({ line, request, route, connection });
        if (
          request.kind === 'command' &&
          (request.command.command === 'worker:ack' || request.command.command === 'worker:ping')
        ) {
          // einhorn: "Throw away this connection in case the application forgets to".
          socket.destroy();
          return;
        }
      }
    });
  }

  #record(record: CommandRecord): void {
    this.records.push(record);
    for (const waiter of [...this.#waiters]) {
      if (waiter.predicate(record)) {
        this.#waiters.delete(waiter);
        waiter.resolve(record);
      }
    }
  }
}
