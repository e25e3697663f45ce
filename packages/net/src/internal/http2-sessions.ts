import type { Server } from 'node:net';

/**
 * The parts of a `node:http2` server session the drain uses. Duck-typed and type-only, so that
 * tracking a plain HTTP server never loads `node:http2`.
 */
export interface Http2SessionLike {
  readonly closed: boolean;
  readonly destroyed: boolean;
  goaway(code?: number, lastStreamID?: number): void;
  ping(callback: (error: Error | null) => void): boolean;
  close(): void;
  on(
    event: 'stream',
    listener: (stream: { once(event: 'close', fn: () => void): void }) => void,
  ): void;
  once(event: 'close', listener: () => void): void;
}

/** The highest stream id: a GOAWAY carrying it only announces the shutdown (RFC 9113, GOAWAY). */
const SHUTDOWN_NOTICE_STREAM_ID = 2 ** 31 - 1;
const NO_ERROR = 0;

interface SessionState {
  /** Streams opened by the client and not yet closed. */
  streams: number;
  timer: NodeJS.Timeout | undefined;
}

/** `http2.Http2Server` and `Http2SecureServer` have `updateSettings()`; no `http`/`net` server does. */
export function isHttp2Server(server: Server): boolean {
  return typeof (server as { updateSettings?: unknown }).updateSettings === 'function';
}

/**
 * The sessions of one `node:http2` server and the streams open on each, drained the way
 * RFC 9113 describes a graceful shutdown: a first GOAWAY with the highest stream id tells the
 * client to open no new stream here (and a PING asks it to answer behind the streams it sent
 * before), and after the grace period `session.close()` sends the final GOAWAY (with the last
 * stream processed), lets the open streams finish, and closes.
 */
export class Http2Sessions {
  readonly #sessions = new Map<Http2SessionLike, SessionState>();
  #graceMs: number | undefined;

  /** Sessions with at least one open stream. */
  get busy(): number {
    let count = 0;
    for (const state of this.#sessions.values()) if (state.streams > 0) count += 1;
    return count;
  }

  add(session: Http2SessionLike): void {
    const state: SessionState = { streams: 0, timer: undefined };
    this.#sessions.set(session, state);
    session.on('stream', (stream) => {
      state.streams += 1;
      stream.once('close', () => {
        state.streams -= 1;
      });
    });
    session.once('close', () => {
      clearTimeout(state.timer);
      this.#sessions.delete(session);
    });
    if (this.#graceMs !== undefined) this.#drainSession(session, state, this.#graceMs);
  }

  /** Starts draining every session, and every session that starts from now on. */
  drain(graceMs: number): void {
    this.#graceMs = graceMs;
    for (const [session, state] of this.#sessions) this.#drainSession(session, state, graceMs);
  }

  dispose(): void {
    for (const state of this.#sessions.values()) clearTimeout(state.timer);
  }

  #drainSession(session: Http2SessionLike, state: SessionState, graceMs: number): void {
    if (session.closed || session.destroyed) return;
    try {
      session.goaway(NO_ERROR, SHUTDOWN_NOTICE_STREAM_ID);
      // Best effort: the PING's answer is behind every stream the client sent before it saw
      // the notice. A client that stopped answering is not waited for: the grace decides.
      session.ping(() => undefined);
    } catch {
      // The session cannot take a frame any more: it is closing by itself.
    }
    state.timer = setTimeout(() => {
      if (!session.closed && !session.destroyed) session.close();
    }, graceMs);
  }
}
