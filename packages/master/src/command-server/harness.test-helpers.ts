// Shared by the command-server and client unit tests: temp dirs, a raw peer that reads lines,
// and a scriptable fake dispatcher. Waits are event-based; timeouts only bound failures.
import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeMessage } from '@einhorn/core/yaml';
import { helpMessage } from '../help.ts';
import type { CommandDispatcher, CommandRequest } from './types.ts';

const FAILURE_BOUND_MS = 15_000;

/** A private temp directory (mode 0700 from mkdtemp) and its removal. */
export async function makeTempDir(): Promise<{
  readonly dir: string;
  readonly cleanup: () => Promise<void>;
}> {
  const dir = await mkdtemp(join(tmpdir(), 'einhorn-cs-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** A raw client that records every byte and line the server sends. */
export interface Peer {
  readonly socket: Socket;
  /** Raw lines received so far (still escaped, without LF). */
  readonly lines: string[];
  /** Every byte received so far, as text. */
  received(): string;
  write(text: string | Uint8Array): void;
  /** Resolves with the next raw line (waits if none is buffered). */
  nextLine(): Promise<string>;
  /** Resolves with the next line, decoded. */
  nextReply(): Promise<Record<string, unknown>>;
  /** Resolves when the server has closed the connection. */
  readonly closed: Promise<void>;
  destroy(): void;
}

export async function connectPeer(path: string): Promise<Peer> {
  const socket = createConnection({ path });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.on('error', () => undefined);
  const lines: string[] = [];
  let text = '';
  let partial = '';
  let cursor = 0;
  const waiters: (() => void)[] = [];
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    text += chunk;
    partial += chunk;
    const parts = partial.split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
    waiters.splice(0).forEach((wake) => {
      wake();
    });
  });
  const closed = new Promise<void>((resolve) =>
    socket.once('close', () => {
      resolve();
      waiters.splice(0).forEach((wake) => {
        wake();
      });
    }),
  );
  const nextLine = async (): Promise<string> => {
    const deadline = Date.now() + FAILURE_BOUND_MS;
    while (cursor >= lines.length) {
      if (socket.destroyed || Date.now() > deadline)
        throw new Error(`no line after ${lines.length} lines; received ${JSON.stringify(text)}`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 1_000).unref();
      });
    }
    const line = lines[cursor] ?? '';
    cursor += 1;
    return line;
  };
  return {
    socket,
    lines,
    received: () => text,
    write: (data) => socket.write(data),
    nextLine,
    nextReply: async () => decodeMessage(await nextLine()) as Record<string, unknown>,
    closed,
    destroy: () => socket.destroy(),
  };
}

/** A dispatcher that records requests and answers like einhorn for a few commands. */
export interface FakeDispatcher {
  readonly dispatch: CommandDispatcher;
  readonly requests: CommandRequest[];
  /** Overrides the answer to one command. */
  on(command: string, handler: (request: CommandRequest) => void): void;
}

export function fakeDispatcher(): FakeDispatcher {
  const requests: CommandRequest[] = [];
  const handlers = new Map<string, (request: CommandRequest) => void>();
  let verbosity = 1;
  let workers = 1;
  const defaults: Record<string, (request: CommandRequest) => void> = {
    help: (request) => {
      request.reply(helpMessage());
    },
    louder: (request) => {
      verbosity = Math.max(0, verbosity - 1);
      request.reply(`Verbosity set to ${verbosity}`);
    },
    quieter: (request) => {
      verbosity = Math.min(2, verbosity + 1);
      request.reply(`Verbosity set to ${verbosity}`);
    },
    inc: (request) => {
      workers += 1;
      request.reply(`Incrementing number of workers from ${workers - 1} -> ${workers}`);
    },
    ehlo: (request) => {
      const user = request.command.command === 'ehlo' ? (request.command.user ?? '') : '';
      request.reply(
        `Welcome, ${user}! You are speaking to Einhorn Master Process ${process.pid}.\nThis is Einhorn test.\n`,
      );
    },
  };
  return {
    requests,
    on: (command, handler) => handlers.set(command, handler),
    dispatch: (request) => {
      requests.push(request);
      const name = request.command.command;
      (handlers.get(name) ?? defaults[name])?.(request);
    },
  };
}
