import type { Socket } from 'node:net';
import {
  EinhornProtocolError,
  createLineSplitter,
  encodeMessage,
  type EinhornReply,
  type LineSplitter,
} from '@einhorn/core';
import { parseReply } from '@einhorn/core/schema';
import { closedError, invalidArgument, timeoutError } from './errors.ts';

const RESERVED_FIELDS = ['id', 'command', 'args'] as const;
import type { EinhornClient, RequestOptions } from './types.ts';

interface PendingRequest {
  readonly label: string;
  readonly options: RequestOptions;
  readonly timeoutMs: number;
  readonly replies: EinhornReply[];
  readonly resolve: (replies: readonly EinhornReply[]) => void;
  readonly reject: (error: unknown) => void;
}

/** Settings shared by every request of one client. */
export interface SocketClientSettings {
  readonly path: string;
  readonly timeoutMs: number;
  readonly maxReplyBytes: number;
}

function isStringArray(value: unknown): value is readonly string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/** The client behind {@link connectEinhorn}: one FIFO of requests, matched to replies by order. */
export class SocketEinhornClient implements EinhornClient {
  readonly path: string;
  readonly #socket: Socket;
  readonly #settings: SocketClientSettings;
  readonly #splitter: LineSplitter;
  readonly #pending: PendingRequest[] = [];
  #lastId = 0;
  #timer: NodeJS.Timeout | undefined;
  #failure: unknown;
  #closed = false;
  readonly #whenClosed: Promise<void>;

  constructor(socket: Socket, settings: SocketClientSettings) {
    this.path = settings.path;
    this.#socket = socket;
    this.#settings = settings;
    this.#splitter = createLineSplitter({
      maxLineBytes: settings.maxReplyBytes,
    });
    this.#whenClosed = new Promise((resolve) =>
      socket.once('close', () => {
        resolve();
      }),
    );
    socket.on('data', (chunk: Buffer) => {
      this.#onData(chunk);
    });
    socket.on('error', (error) => {
      this.#failure ??= error;
    });
    socket.once('close', () => {
      this.#shutDown(undefined);
    });
  }

  get closed(): boolean {
    return this.#closed;
  }

  request(
    command: string,
    args: readonly string[] = [],
    options: RequestOptions = {},
  ): Promise<readonly EinhornReply[]> {
    if (typeof command !== 'string' || command === '')
      return Promise.reject(invalidArgument('command', 'a non-empty string'));
    if (!isStringArray(args)) return Promise.reject(invalidArgument('args', 'an array of strings'));
    const fields: unknown = options.fields ?? {};
    if (
      typeof fields !== 'object' ||
      fields === null ||
      Array.isArray(fields) ||
      RESERVED_FIELDS.some((name) => Object.hasOwn(fields, name))
    ) {
      return Promise.reject(
        invalidArgument('options.fields', 'an object without id, command or args'),
      );
    }
    if (this.#closed) return Promise.reject(this.#closedError(command));
    this.#lastId += 1;
    const id = this.#lastId;
    return this.#enqueue(
      () => encodeMessage({ id, command, args: [...args], ...fields }),
      command,
      options,
    );
  }

  requestMessage(
    message: Readonly<Record<string, unknown>>,
    options: RequestOptions = {},
  ): Promise<readonly EinhornReply[]> {
    const label = typeof message['command'] === 'string' ? message['command'] : 'request';
    if (this.#closed) return Promise.reject(this.#closedError(label));
    return this.#enqueue(() => encodeMessage(message), label, options);
  }

  send(line: string): void {
    if (!this.#closed) this.#socket.write(line);
  }

  async close(): Promise<void> {
    if (!this.#socket.destroyed) this.#socket.end();
    this.#shutDown(undefined);
    const timer = setTimeout(() => this.#socket.destroy(), 1_000);
    await this.#whenClosed;
    clearTimeout(timer);
  }

  #enqueue(
    encode: () => string,
    label: string,
    options: RequestOptions,
  ): Promise<readonly EinhornReply[]> {
    const timeoutMs = options.timeoutMs ?? this.#settings.timeoutMs;
    if (!Number.isFinite(timeoutMs) || timeoutMs < 0)
      return Promise.reject(invalidArgument('timeoutMs', 'a number >= 0'));
    let line: string;
    try {
      line = encode();
    } catch (error) {
      // encodeMessage throws EinhornProtocolError, e.g. for a BigInt in requestMessage()
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    return new Promise((resolve, reject) => {
      this.#pending.push({
        label,
        options,
        timeoutMs,
        replies: [],
        resolve,
        reject,
      });
      this.#socket.write(line);
      if (this.#pending.length === 1) this.#armTimer();
    });
  }

  #armTimer(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const head = this.#pending[0];
    if (head === undefined || head.timeoutMs === 0) return;
    this.#timer = setTimeout(() => {
      const error = timeoutError(this.path, head.timeoutMs, {
        command: head.label,
        replies: head.replies.length,
      });
      this.#shutDown(error);
      this.#socket.destroy();
    }, head.timeoutMs);
  }

  #onData(chunk: Buffer): void {
    let lines: string[];
    try {
      lines = this.#splitter.push(chunk);
    } catch (error) {
      this.#shutDown(error);
      this.#socket.destroy();
      return;
    }
    for (const line of lines) {
      if (this.#closed) return;
      this.#onLine(line);
    }
  }

  #onLine(line: string): void {
    const head = this.#pending[0];
    if (head === undefined) return; // unsolicited, e.g. a reply to a raw send()
    let reply: EinhornReply;
    try {
      reply = parseReply(line);
    } catch (error) {
      const { onInvalidReply } = head.options;
      if (onInvalidReply === undefined || !(error instanceof EinhornProtocolError)) {
        this.#shutDown(error);
        this.#socket.destroy();
        return;
      }
      this.#callback(() => {
        onInvalidReply(line, error);
      });
      this.#armTimer();
      return;
    }
    head.replies.push(reply);
    this.#callback(() => head.options.onMessage?.(reply));
    if (this.#closed) return;
    if (reply.wait === true) {
      this.#armTimer();
      return;
    }
    this.#pending.shift();
    head.resolve(head.replies);
    this.#armTimer();
  }

  /** A throwing callback fails the client: later replies could no longer be trusted to match. */
  #callback(call: () => void): void {
    try {
      call();
    } catch (error) {
      this.#shutDown(error);
      this.#socket.destroy();
    }
  }

  /** Rejects the head with `error` (or CLOSED) and every other request with CLOSED. */
  #shutDown(error: unknown): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#closed = true;
    if (error !== undefined) this.#failure ??= error;
    const pending = this.#pending.splice(0);
    pending.forEach((request, index) => {
      request.reject(
        index === 0 && error !== undefined
          ? error
          : this.#closedError(request.label, request.replies.length),
      );
    });
  }

  #closedError(command: string, replies = 0): Error {
    return closedError(this.path, { command, replies }, this.#failure);
  }
}
