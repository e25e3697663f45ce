// A scriptable stand-in for an einhorn command socket, for the client and shell unit tests: it
// reads request lines with core's readRequest and answers with core's encodeReply, like einhorn
// for a few commands. Waits are event-based.
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createLineSplitter,
  encodeReply,
  type EinhornCommand,
  type RequestId,
} from '@einhorn/core';
import { readRequest } from '@einhorn/core/yaml';
import { decodeMessage } from '@einhorn/core/yaml';

/** A private temp directory and its removal. */
export async function makeTempDir(): Promise<{
  readonly dir: string;
  readonly cleanup: () => Promise<void>;
}> {
  const dir = await mkdtemp(join(tmpdir(), 'einhorn-client-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** One valid request the fake received. */
export interface FakeRequest {
  /** The validated command (unknown fields dropped by the schema). */
  readonly command: EinhornCommand;
  /** The request as decoded, every field included. */
  readonly raw: Readonly<Record<string, unknown>>;
  readonly id: RequestId | undefined;
  /** Writes a reply line; with `wait` when more replies follow. */
  reply(message: string, options?: { readonly wait?: boolean }): void;
  /** Ends the connection after pending writes. */
  closeConnection(): void;
}

/** A fake master listening on a unix socket. */
export interface FakeMaster {
  readonly path: string;
  readonly requests: FakeRequest[];
  /** Overrides the answer to one command. */
  on(command: string, handler: (request: FakeRequest) => void): void;
  close(): Promise<void>;
}

/** The master's `help` text opens with this, like einhorn's. */
export const HELP_OPENING = 'You are speaking to the Einhorn command socket.';

export async function startFakeMaster(path: string): Promise<FakeMaster> {
  const requests: FakeRequest[] = [];
  const handlers = new Map<string, (request: FakeRequest) => void>();
  const sockets = new Set<Socket>();
  let verbosity = 1;
  let workers = 1;
  const defaults: Record<string, (request: FakeRequest) => void> = {
    help: (request) => {
      request.reply(`${HELP_OPENING} You can run commands like inc.`);
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
      const user = typeof request.raw['user'] === 'string' ? request.raw['user'] : '';
      request.reply(
        `Welcome, ${user}! You are speaking to Einhorn Master Process ${process.pid}.\nThis is Einhorn test.\n`,
      );
    },
  };
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    const splitter = createLineSplitter();
    socket.on('data', (chunk: Buffer) => {
      for (const line of splitter.push(chunk)) {
        const read = readRequest(line);
        if (read.kind !== 'command') {
          socket.write(encodeReply(`Unknown command: ${line}`, 'id' in read ? read.id : undefined));
          continue;
        }
        const request: FakeRequest = {
          command: read.command,
          raw: decodeMessage(line) as Record<string, unknown>,
          id: read.id,
          reply: (message, options) => {
            if (!socket.destroyed) socket.write(encodeReply(message, read.id, options));
          },
          closeConnection: () => socket.end(),
        };
        requests.push(request);
        const name = read.command.command;
        (handlers.get(name) ?? defaults[name])?.(request);
      }
    });
  });
  server.listen(path);
  await once(server, 'listening');
  return {
    path,
    requests,
    on: (command, handler) => handlers.set(command, handler),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}
