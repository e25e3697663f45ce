import type { Socket } from 'node:net';
import {
  createLineSplitter,
  encodeReply,
  isEinhornError,
  type LineSplitter,
  type RequestId,
} from '@einhorn/core';
import type { CommandConnection, CommandServerEvent, SendOptions } from './types.ts';

/** What the connection does after a line was handled. */
export type LineOutcome = 'continue' | 'close';

/** Per-server settings every connection shares. */
export interface ConnectionSettings {
  readonly maxLineBytes: number;
  readonly maxBufferedBytes: number;
  readonly maxPendingWriteBytes: number;
  readonly idleTimeoutMs: number;
  readonly emit: (event: CommandServerEvent) => void;
  readonly handleLine: (line: string, connection: CommandConnection) => LineOutcome;
}

/** Lines handled before yielding to other connections, so a flood on one stalls nobody. */
const LINES_PER_TURN = 64;
/** Queued lines at which reading pauses, so a pipelining peer cannot grow the queue. */
const MAX_QUEUED_LINES = 1024;
/** Unflushed reply bytes at which request processing waits for `drain` (back-pressure). */
const REPLY_BACKLOG_PAUSE_BYTES = 64 * 1024;
/** How long a closing connection may take to flush before it is destroyed. */
const CLOSE_FLUSH_TIMEOUT_MS = 10_000;

function tooLongBytes(error: unknown, fallback: number): number {
  if (isEinhornError(error) && typeof error.details?.['lineBytes'] === 'number')
    return error.details['lineBytes'];
  return fallback;
}

/** The lines that were complete before the oversize one, in the same chunk. */
function linesBefore(error: unknown): string[] {
  const lines = isEinhornError(error) ? error.details?.['completeLines'] : undefined;
  return Array.isArray(lines) ? lines.filter((line) => typeof line === 'string') : [];
}

/** The reply to an oversize line, sent without `request_id` (the line was never parsed) before closing. */
export function lineTooLongMessage(maxLineBytes: number): string {
  return `Line too long (ERR_EINHORN_PROTOCOL_LINE_TOO_LONG): expected request lines of at most ${maxLineBytes} bytes, but one exceeded that; send smaller requests. Closing this connection.`;
}

/**
 * One accepted socket: frames lines, processes them strictly in order (check 17), writes replies
 * in order, and applies the limits that keep a hostile peer from hurting others.
 */
export class ServerConnection implements CommandConnection {
  readonly id: number;
  readonly #socket: Socket;
  readonly #settings: ConnectionSettings;
  readonly #splitter: LineSplitter;
  readonly #closeListeners = new Set<() => void>();
  #queue: string[] = [];
  #head = 0;
  /** Bytes of the queued, unprocessed lines. */
  #queuedBytes = 0;
  /** Set once a line went over `maxLineBytes`: queued lines are still handled, then the error reply and close. */
  #tooLong = false;
  #closing = false;
  #peerEnded = false;
  #pausedReading = false;
  #turnScheduled = false;

  constructor(id: number, socket: Socket, settings: ConnectionSettings) {
    this.id = id;
    this.#socket = socket;
    this.#settings = settings;
    this.#splitter = createLineSplitter({
      maxLineBytes: settings.maxLineBytes,
    });
    socket.on('data', (chunk: Buffer) => {
      this.#onData(chunk);
    });
    socket.on('end', () => {
      this.#peerEnded = true;
      this.#pump();
    });
    socket.on('drain', () => {
      this.#pump();
    });
    socket.on('error', (error) => {
      settings.emit({ type: 'connection-error', connectionId: id, error });
    });
    socket.once('close', () => {
      this.#closing = true;
      this.#queue = [];
      this.#head = 0;
      this.#queuedBytes = 0;
      for (const listener of this.#closeListeners) listener();
      this.#closeListeners.clear();
    });
    if (settings.idleTimeoutMs > 0) {
      socket.setTimeout(settings.idleTimeoutMs, () => socket.destroy());
    }
  }

  get closed(): boolean {
    return this.#closing || this.#socket.destroyed;
  }

  send(message: string, requestId: RequestId | undefined, options?: SendOptions): void {
    if (this.closed) return;
    const backlog = this.#socket.writableLength;
    if (backlog > this.#settings.maxPendingWriteBytes) {
      this.#settings.emit({
        type: 'write-buffer-full',
        connectionId: this.id,
        bytes: backlog,
      });
      this.destroy();
      return;
    }
    const wait = options?.wait === true && requestId !== undefined;
    this.#socket.write(
      wait ? encodeReply(message, requestId, { wait: true }) : encodeReply(message, requestId),
    );
  }

  close(): void {
    if (this.#closing) return;
    this.#closing = true;
    this.#queue = [];
    this.#head = 0;
    this.#queuedBytes = 0;
    const socket = this.#socket;
    if (socket.destroyed) return;
    const timer = setTimeout(() => socket.destroy(), CLOSE_FLUSH_TIMEOUT_MS);
    timer.unref();
    socket.once('close', () => {
      clearTimeout(timer);
    });
    socket.end(() => socket.destroy());
    if (this.#pausedReading) socket.resume(); // keep draining the peer's input so EOF is seen
  }

  /** Closes at once, dropping unflushed replies. */
  destroy(): void {
    this.#closing = true;
    this.#socket.destroy();
  }

  onClose(listener: () => void): () => void {
    if (this.#socket.destroyed) {
      queueMicrotask(listener);
      return () => undefined;
    }
    this.#closeListeners.add(listener);
    return () => this.#closeListeners.delete(listener);
  }

  #onData(chunk: Buffer): void {
    if (this.#closing || this.#tooLong) return;
    let lines: string[];
    try {
      lines = this.#splitter.push(chunk);
    } catch (error) {
      if (isEinhornError(error, 'ERR_EINHORN_PROTOCOL_LINE_TOO_LONG')) {
        const bytes = tooLongBytes(error, this.#splitter.bufferedBytes);
        this.#settings.emit({
          type: 'line-too-long',
          connectionId: this.id,
          bytes,
        });
        this.#tooLong = true;
        this.#socket.pause();
        this.#enqueue(linesBefore(error));
        this.#pump();
        return;
      } else {
        const failure = error instanceof Error ? error : new Error(String(error));
        this.#settings.emit({
          type: 'connection-error',
          connectionId: this.id,
          error: failure,
        });
      }
      this.destroy();
      return;
    }
    this.#enqueue(lines);
    this.#pump();
  }

  #enqueue(lines: readonly string[]): void {
    for (const line of lines) {
      this.#queue.push(line);
      this.#queuedBytes += Buffer.byteLength(line);
    }
  }

  #pump(): void {
    let budget = LINES_PER_TURN;
    while (!this.#closing && this.#head < this.#queue.length) {
      if (this.#socket.writableLength > REPLY_BACKLOG_PAUSE_BYTES) {
        this.#setReadingPaused(true); // 'drain' resumes
        return;
      }
      if (budget === 0) {
        this.#scheduleTurn();
        break;
      }
      budget -= 1;
      const line = this.#queue[this.#head] ?? '';
      this.#queue[this.#head] = '';
      this.#head += 1;
      this.#queuedBytes -= Buffer.byteLength(line);
      if (this.#settings.handleLine(line, this) === 'close') this.close();
    }
    if (this.#closing) return;
    if (this.#head === this.#queue.length) {
      this.#queue = [];
      this.#head = 0;
      this.#queuedBytes = 0;
      if (this.#tooLong) {
        this.send(lineTooLongMessage(this.#settings.maxLineBytes), undefined);
        this.close();
        return;
      }
    } else if (this.#head > MAX_QUEUED_LINES) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
    const queued = this.#queue.length - this.#head;
    this.#setReadingPaused(
      this.#tooLong ||
        queued >= MAX_QUEUED_LINES ||
        this.#queuedBytes >= this.#settings.maxBufferedBytes,
    );
    if (queued === 0 && this.#peerEnded) this.close();
  }

  #scheduleTurn(): void {
    if (this.#turnScheduled) return;
    this.#turnScheduled = true;
    setImmediate(() => {
      this.#turnScheduled = false;
      this.#pump();
    });
  }

  #setReadingPaused(paused: boolean): void {
    if (paused === this.#pausedReading) return;
    this.#pausedReading = paused;
    if (paused) this.#socket.pause();
    else this.#socket.resume();
  }
}
