// Load generators for upgrade-under-load tests: real clients on real sockets, bounded by the
// test (they stop when asked), counting every failure.
import { Agent, request } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { createConnection } from 'node:net';
import type { Socket } from 'node:net';
import type { HeldListener } from './fake-master.ts';

export interface Load {
  /** The pid that served each successful response, in order. */
  readonly pids: number[];
  /** Every failed request (error code or status). */
  readonly failures: string[];
  /** Makes the clients stop after their current request; resolves when they have. */
  stop(): Promise<void>;
}

/** Runs `clients` loops of `once()` until stopped. */
function loop(clients: number, once: () => Promise<void>, cleanup: () => void) {
  let stopped = false;
  const running = Promise.all(
    Array.from({ length: clients }, async () => {
      while (!stopped) await once();
    }),
  );
  return async (): Promise<void> => {
    stopped = true;
    await running;
    cleanup();
  };
}

/**
 * Loops GET `path` on `clients` keep-alive connections (Node's Agent) until stopped. `pidOf`
 * reads the serving pid from the body (the fixture contract answers `{"pid":…}`).
 */
export function keepAliveLoad(
  listener: HeldListener,
  clients: number,
  options: {
    readonly path?: string;
    readonly tls?: boolean;
    readonly pidOf?: (body: string) => number | undefined;
  } = {},
): Load {
  const agent = options.tls
    ? new HttpsAgent({ keepAlive: true, maxSockets: clients, rejectUnauthorized: false })
    : new Agent({ keepAlive: true, maxSockets: clients });
  const send = options.tls ? httpsRequest : request;
  const pidOf =
    options.pidOf ?? ((body: string) => (JSON.parse(body) as { pid?: number }).pid ?? undefined);
  const pids: number[] = [];
  const failures: string[] = [];
  const once = (): Promise<void> =>
    new Promise<void>((resolve) => {
      const req = send(
        {
          agent,
          ...(listener.kind === 'unix'
            ? { socketPath: listener.path }
            : { host: '127.0.0.1', port: listener.port }),
          path: options.path ?? '/',
        },
        (res: IncomingMessage) => {
          let body = '';
          res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
          res.on('end', () => {
            if (res.statusCode === 200) pids.push(pidOf(body) ?? 0);
            else failures.push(`status ${res.statusCode ?? '?'}`);
            resolve();
          });
          res.on('error', (error: NodeJS.ErrnoException) => {
            failures.push(error.code ?? error.message);
            resolve();
          });
        },
      );
      req.on('error', (error: NodeJS.ErrnoException) => {
        failures.push(error.code ?? error.message);
        resolve();
      });
      req.end();
    });
  const stop = loop(clients, once, () => {
    agent.destroy();
  });
  return { pids, failures, stop };
}

/**
 * A line-protocol client: each of `clients` connections sends `n\n` and waits for the reply
 * line `echo n`. A `bye…` line (the server is leaving, after a reply or on an idle connection)
 * or EOF between requests makes it reconnect. A request without its reply is a failure.
 */
export function lineLoad(listener: HeldListener, clients: number): Load {
  const served: number[] = [];
  const failures: string[] = [];
  const sockets = new Set<Socket>();
  let counter = 0;

  interface Connection {
    readonly socket: Socket;
    lines: string[];
    partial: string;
    ended: boolean;
    wake: (() => void) | undefined;
  }
  const open = (): Promise<Connection> =>
    new Promise((resolve, reject) => {
      const socket =
        listener.kind === 'unix'
          ? createConnection(listener.path)
          : createConnection({ host: '127.0.0.1', port: listener.port });
      sockets.add(socket);
      const connection: Connection = {
        socket,
        lines: [],
        partial: '',
        ended: false,
        wake: undefined,
      };
      socket.setEncoding('utf8').on('data', (chunk: string) => {
        const parts = (connection.partial + chunk).split('\n');
        connection.partial = parts.pop() ?? '';
        connection.lines.push(...parts);
        connection.wake?.();
      });
      const end = (): void => {
        connection.ended = true;
        connection.wake?.();
      };
      socket.once('end', end);
      socket.once('close', () => {
        sockets.delete(socket);
        end();
      });
      socket.once('error', (error) => {
        if (!connection.ended) reject(error);
        end();
      });
      socket.once('connect', () => {
        resolve(connection);
      });
    });
  const leaving = (c: Connection): boolean => c.ended || c.lines.some((l) => l.startsWith('bye'));

  const client = async (isStopped: () => boolean): Promise<void> => {
    let connection: Connection | undefined;
    while (!isStopped()) {
      if (connection === undefined || leaving(connection)) {
        connection?.socket.destroy();
        try {
          connection = await open();
        } catch (error) {
          failures.push(`connect ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
          connection = undefined;
          continue;
        }
      }
      const c = connection;
      const n = ++counter;
      c.socket.write(`${n}\n`);
      await new Promise<void>((resolve) => {
        const check = (): void => {
          if (c.lines.includes(`echo ${n}`) || c.ended) {
            c.wake = undefined;
            resolve();
          }
        };
        c.wake = check;
        check();
      });
      const at = c.lines.indexOf(`echo ${n}`);
      if (at >= 0) {
        served.push(n);
        c.lines = c.lines.slice(at + 1);
      } else failures.push(`no reply to ${n}: the connection ended`);
    }
    connection?.socket.end();
  };
  let stopped = false;
  const running = Promise.all(Array.from({ length: clients }, () => client(() => stopped)));
  return {
    pids: served,
    failures,
    async stop() {
      stopped = true;
      await running;
      for (const socket of sockets) socket.destroy();
    },
  };
}
