// HTTP/2 load for upgrade-under-load tests: `clients` sessions, each with `streams` loops of
// GET `path`, that behave as browsers and gRPC clients do on a GOAWAY: no new stream on that
// session, the streams already open finish there, and the next request opens a new session.
// Counts every stream: a failure is a stream that was sent and errored or answered non-200, except
// one the server refused unprocessed (REFUSED_STREAM), which is sent again, as clients do.
// (h2load cannot play this part: it never opens a new connection after a GOAWAY and counts a
// client's remaining requests as failed, see docs/guides/http2.md.)
import { connect, constants } from 'node:http2';
import type { ClientHttp2Session } from 'node:http2';

export interface H2Load {
  /** The pid that served each successful stream, in order. */
  readonly pids: number[];
  /** Every failed stream (error code or status), refused ones apart. */
  readonly failures: string[];
  /** Streams the server refused unprocessed (REFUSED_STREAM, behind its final GOAWAY), each sent again. */
  readonly refused: number[];
  /** Sessions opened (one per client, plus one per GOAWAY received). */
  readonly sessions: () => number;
  /** Stops after the streams in progress; resolves when they are done and every session is closed. */
  stop(): Promise<void>;
}

export function h2Load(
  origin: string,
  options: { clients?: number; streams?: number; path?: string } = {},
): H2Load {
  const pids: number[] = [];
  const failures: string[] = [];
  const refused: number[] = [];
  const all: ClientHttp2Session[] = [];
  let stopped = false;
  const open = (): ClientHttp2Session => {
    const session = connect(origin, { rejectUnauthorized: false });
    session.on('error', () => undefined); // reported through its streams
    all.push(session);
    return session;
  };
  const once = (client: { session: ClientHttp2Session }): Promise<void> => {
    let { session } = client;
    // After a GOAWAY (or once closed) the session takes no new stream: open another.
    if (session.closed || session.destroyed) client.session = session = open();
    return new Promise<void>((resolve) => {
      const stream = session.request({ ':path': options.path ?? '/' });
      let status = 0;
      let body = '';
      stream.on('response', (headers) => {
        status = Number(headers[':status']);
      });
      stream.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      stream.on('end', () => {
        const pid = Number(/pid (\d+)/.exec(body)?.[1]);
        if (status === 200 && pid > 0) pids.push(pid);
        else failures.push(`status ${status}`);
      });
      stream.on('error', (error: NodeJS.ErrnoException) => {
        // REFUSED_STREAM: the server did not process it (RFC 9113, GOAWAY and error codes);
        // a client retries it, as browsers and Go do: the loop sends it again.
        if (stream.rstCode === constants.NGHTTP2_REFUSED_STREAM) refused.push(stream.id ?? 0);
        else failures.push(error.code ?? error.message);
      });
      stream.on('close', () => {
        resolve();
      });
      stream.end();
    });
  };
  const clients = Array.from({ length: options.clients ?? 4 }, () => ({ session: open() }));
  const running = Promise.all(
    clients.flatMap((client) =>
      Array.from({ length: options.streams ?? 4 }, async () => {
        while (!stopped) await once(client);
      }),
    ),
  );
  return {
    pids,
    failures,
    refused,
    sessions: () => all.length,
    async stop() {
      stopped = true;
      await running;
      await Promise.all(
        all.map(
          (session) =>
            new Promise<void>((resolve) => {
              if (session.destroyed) resolve();
              else session.close(resolve);
            }),
        ),
      );
    },
  };
}
