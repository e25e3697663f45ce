import type { EinhornCommand, RequestId } from '@einhorn/core';

/** Options of one reply line. */
export interface SendOptions {
  /**
   * Marks the reply as one of a stream: more replies to the same request follow. Einhorn only
   * sends `wait` together with a `request_id`, so it is dropped when the request had no id.
   * @default false
   */
  readonly wait?: boolean;
}

/** One client connection to the command socket. */
export interface CommandConnection {
  /** Unique per server, increasing from 1 in accept order. */
  readonly id: number;
  /** True once the connection is closing or closed; `send` is then a no-op. */
  readonly closed: boolean;
  /**
   * Writes one reply line `{message, request_id?, wait?}`, %-escaped and ended by LF.
   * `request_id` is written only when `requestId` is not `undefined`. Never throws: on a closed
   * connection the reply is dropped, and a peer that stopped reading is disconnected once its
   * backlog exceeds `maxPendingWriteBytes`.
   */
  send(message: string, requestId: RequestId | undefined, options?: SendOptions): void;
  /** Ends the connection after flushing pending writes; lines not yet processed are dropped. */
  close(): void;
  /** Calls `listener` once when the connection has closed; returns a function that removes it. */
  onClose(listener: () => void): () => void;
}

/** A valid request, handed to the dispatcher. */
export interface CommandRequest {
  /** The validated command. */
  readonly command: EinhornCommand;
  /** The request's `id` (`null` in the request counts as absent, as in einhorn). */
  readonly id: RequestId | undefined;
  /** The connection the request came from. */
  readonly connection: CommandConnection;
  /** Shorthand for `connection.send(message, id, options)`. */
  reply(message: string, options?: SendOptions): void;
}

/**
 * Called once per valid request, in order per connection. It may reply now, later (streams), or
 * never. If it throws, the server replies `Error while processing command "NAME": MSG (Class)`
 * like einhorn, reports a `dispatch-error` event and keeps serving.
 */
export type CommandDispatcher = (request: CommandRequest) => void;

/** Something the master may want to log. */
export type CommandServerEvent =
  | { readonly type: 'stale-socket-removed'; readonly path: string }
  | { readonly type: 'connection-open'; readonly connectionId: number }
  | { readonly type: 'connection-close'; readonly connectionId: number }
  | { readonly type: 'connection-refused'; readonly reason: 'max-connections' }
  | { readonly type: 'unparseable'; readonly connectionId: number }
  | {
      readonly type: 'invalid-request';
      readonly connectionId: number;
      readonly command: string;
      readonly error: Error;
    }
  | {
      readonly type: 'line-too-long';
      readonly connectionId: number;
      readonly bytes: number;
    }
  | {
      readonly type: 'write-buffer-full';
      readonly connectionId: number;
      readonly bytes: number;
    }
  | {
      readonly type: 'dispatch-error';
      readonly connectionId: number;
      readonly command: string;
      readonly error: unknown;
    }
  | {
      readonly type: 'connection-error';
      readonly connectionId: number;
      readonly error: Error;
    }
  | { readonly type: 'server-error'; readonly error: Error };

/** Options of {@link startCommandServer}. */
export interface CommandServerOptions {
  /** The socket file path, used verbatim (as given by `-d`). At most 107 bytes on Linux. */
  readonly path: string;
  /** Receives every valid request. */
  readonly dispatch: CommandDispatcher;
  /**
   * Longest accepted request line in bytes, LF excluded. A longer line gets one reply without
   * `request_id`, `Line too long (ERR_EINHORN_PROTOCOL_LINE_TOO_LONG): …`, after the replies to
   * the lines before it, and then that connection only is closed (a `line-too-long` event); the
   * check runs in time linear in the bytes received. `createMaster` uses 65536 (64 KiB).
   * @default 1048576 (1 MiB)
   */
  readonly maxLineBytes?: number;
  /**
   * Received request bytes a connection may hold unprocessed (complete lines waiting their turn).
   * Reading from that connection pauses at this bound and resumes as its lines are handled, so a
   * pipelining peer is slowed down, never dropped. With `maxLineBytes` for a partial line and one
   * socket read, this bounds the memory a connection's input can take.
   * @default 262144 (256 KiB)
   */
  readonly maxBufferedBytes?: number;
  /**
   * Connections served at once; further ones are closed on accept (a `connection-refused`
   * event) while the others keep being served.
   * @default 1024
   */
  readonly maxConnections?: number;
  /**
   * Reply bytes a connection may leave unread. When a reply is sent while more than this is
   * still queued, the connection is destroyed (a `write-buffer-full` event). A single reply may
   * exceed it. Pipelined requests of a peer that does not read are not processed until it reads
   * (back-pressure), so they never count against this limit.
   * @default 1048576 (1 MiB)
   */
  readonly maxPendingWriteBytes?: number;
  /**
   * Closes a connection after this long without any byte received. 0 disables it, as in
   * einhorn. A half-written line never blocks other connections either way.
   * @default 0
   */
  readonly idleTimeoutMs?: number;
  /**
   * A lockfile created (mode 0600, never deleted, like einhorn's) and held open while the socket
   * is checked and created. Node has no `flock`, so this is not a mutual exclusion: liveness is
   * detected by connecting to the socket, and `EADDRINUSE` on listen is reported as in use.
   * @default undefined (no lockfile)
   */
  readonly lockfilePath?: string;
  /**
   * Receives events for logging. Exceptions it throws are ignored.
   * @default undefined
   */
  readonly onEvent?: (event: CommandServerEvent) => void;
}

/** A running command server. */
export interface CommandServer {
  /** The socket file path, as given. */
  readonly path: string;
  /** Connections currently open. */
  readonly connectionCount: number;
  /**
   * Stops accepting, ends every connection after flushing its replies (destroying those still
   * open after 1 s), and removes the socket file unless another one replaced it. Idempotent.
   */
  close(): Promise<void>;
}
