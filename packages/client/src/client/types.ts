import type { EinhornProtocolError, EinhornReply } from '@einhorn/core';

/** Options of {@link connectEinhorn}. */
export interface EinhornClientOptions {
  /** The command socket path (einhorn's `-d`), e.g. from `defaultSocketPath()`. */
  readonly path: string;
  /**
   * Bounds the connect, and the wait for each reply of a request (reset by every streamed
   * reply). 0 waits forever, as einhornsh does.
   * @default 10000
   */
  readonly timeoutMs?: number;
  /**
   * Longest reply line accepted, in bytes; a longer one fails the request.
   * @default 16777216 (16 MiB)
   */
  readonly maxReplyBytes?: number;
}

/** Options of one request. */
export interface RequestOptions {
  /** Called with every reply as it arrives, streamed `wait: true` ones included. */
  readonly onMessage?: (reply: EinhornReply) => void;
  /**
   * Called with reply lines that are not a reply mapping; they are then skipped, as einhornsh
   * prints `Invalid response type ...` and keeps reading. Without it such a line fails the request.
   */
  readonly onInvalidReply?: (line: string, error: EinhornProtocolError) => void;
  /**
   * Extra request fields, sent after `id`, `command` and `args` (which they may not replace),
   * e.g. `{ format: 'json' }` to ask einhorn-node for its `state` as JSON. einhorn ignores
   * fields it does not know. Ignored by `requestMessage`.
   */
  readonly fields?: Readonly<Record<string, unknown>>;
  /**
   * Overrides the client's `timeoutMs` for this request; 0 waits forever.
   * @default the client's timeoutMs
   */
  readonly timeoutMs?: number;
}

/** A connection to an einhorn command socket. Replies are matched to requests by order, like einhornsh. */
export interface EinhornClient {
  /** The socket path. */
  readonly path: string;
  /** True once the connection has closed or failed; requests then reject with `ERR_EINHORN_CLIENT_CLOSED`. */
  readonly closed: boolean;
  /**
   * Sends `{id, command, args}` (ids 1, 2, 3… per connection, `args` always present, like
   * einhornsh) and resolves with every reply up to and including the first without `wait`.
   *
   * @param command - The command name, e.g. `state` or `upgrade`.
   * @param args - String arguments.
   * @param options - Per-request callbacks and timeout.
   * @returns Every reply, in order; the last one has no `wait`.
   * @throws {EinhornClientError} `ERR_EINHORN_CLIENT_TIMEOUT` when no reply comes in time (the
   *   client is then closed, since later replies could no longer be matched);
   *   `ERR_EINHORN_CLIENT_CLOSED` when the connection ends first.
   * @throws {EinhornProtocolError} for a reply line that is not a reply (unless `onInvalidReply`).
   * @example
   * const replies = await client.request('upgrade', [], { onMessage: (r) => logger.info(r.message) });
   */
  request(
    command: string,
    args?: readonly string[],
    options?: RequestOptions,
  ): Promise<readonly EinhornReply[]>;
  /**
   * Sends `message` exactly as given (no id is added) and collects replies like `request`. Used
   * for einhornsh's `{command: 'ehlo', user}`, which carries no id.
   *
   * @throws Same as `request`.
   * @example
   * await client.requestMessage({ command: 'ehlo', user: 'alice' });
   */
  requestMessage(
    message: Readonly<Record<string, unknown>>,
    options?: RequestOptions,
  ): Promise<readonly EinhornReply[]>;
  /** Writes `line` verbatim (include the LF yourself); ignored once closed. For tests. */
  send(line: string): void;
  /** Ends the connection; pending requests reject with `ERR_EINHORN_CLIENT_CLOSED`. Idempotent. */
  close(): Promise<void>;
}
