import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EinhornProtocolError, isEinhornError, type EinhornReply } from '@einhorn/core';
import {
  HELP_OPENING,
  makeTempDir,
  startFakeMaster,
  type FakeMaster,
} from '../testing/fake-master.test-helpers.ts';
import { connectEinhorn } from './connect.ts';
import type { EinhornClient } from './types.ts';

let dir: string;
let cleanup: () => Promise<void>;
const clients: EinhornClient[] = [];
const closers: (() => Promise<void>)[] = [];

beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await Promise.all(closers.splice(0).map((close) => close()));
  await cleanup();
});

async function client(path: string, timeoutMs?: number): Promise<EinhornClient> {
  const created = await connectEinhorn({
    path,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
  clients.push(created);
  return created;
}

async function commandServer(): Promise<{ fake: FakeMaster }> {
  const fake = await startFakeMaster(`${dir}/einhorn.sock`);
  closers.push(() => fake.close());
  return { fake };
}

/** A raw unix server that records what clients send and lets the test answer by hand. */
async function rawServer(): Promise<{
  path: string;
  received: () => string;
  socket: () => Promise<Socket>;
}> {
  const path = `${dir}/raw.sock`;
  let text = '';
  const sockets: Socket[] = [];
  const server: Server = createServer((socket) => {
    sockets.push(socket);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      text += chunk;
    });
    socket.on('error', () => undefined);
  });
  server.listen(path);
  await once(server, 'listening');
  closers.push(async () => {
    sockets.forEach((s) => s.destroy());
    server.close();
    await once(server, 'close');
  });
  return {
    path,
    received: () => text,
    socket: async () => {
      if (sockets[0] === undefined) await once(server, 'connection');
      return sockets[0]!;
    },
  };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

describe('requests', () => {
  it('sends {id, command, args} with ids 1, 2, 3 and args always present, like einhornsh (check 53)', async () => {
    const raw = await rawServer();
    const c = await client(raw.path);
    const socket = await raw.socket();
    const first = c.request('inc');
    await expect.poll(() => raw.received()).toContain('\n');
    socket.write('{"message":"one","request_id":1}\n');
    await first;
    const second = c.request('set_workers', ['3']);
    await expect.poll(() => raw.received().split('\n').length).toBe(3);
    socket.write('{"message":"two","request_id":2}\n');
    await second;
    expect(raw.received()).toBe(
      '{"id":1,"command":"inc","args":[]}\n{"id":2,"command":"set_workers","args":["3"]}\n',
    );
  });

  it('follows a wait stream and resolves after the reply without wait (check 56)', async () => {
    const { fake } = await commandServer();
    let finish: (() => void) | undefined;
    fake.on('upgrade', (request) => {
      request.reply('Upgrading smoothly, as commanded', { wait: true });
      request.reply('===> Launched 17', { wait: true });
      finish = () => {
        request.reply('Upgrade done');
      };
    });
    const c = await client(`${dir}/einhorn.sock`);
    const seen: EinhornReply[] = [];
    const done = c.request('upgrade', [], {
      onMessage: (reply) => {
        seen.push(reply);
        if (seen.length === 2) finish?.();
      },
    });
    const replies = await done;
    expect(replies.map((r) => r.message)).toEqual([
      'Upgrading smoothly, as commanded',
      '===> Launched 17',
      'Upgrade done',
    ]);
    expect(seen).toEqual(replies);
    expect(replies.at(-1)?.wait).toBeUndefined();
  });

  it('matches pipelined requests to replies by order', async () => {
    await commandServer();
    const c = await client(`${dir}/einhorn.sock`);
    const [a, b, h] = await Promise.all([
      c.request('louder'),
      c.request('quieter'),
      c.request('help'),
    ]);
    expect(a.map((r) => r.request_id)).toEqual([1]);
    expect(b.map((r) => r.request_id)).toEqual([2]);
    expect(h[0]?.message).toContain(HELP_OPENING);
  });

  it('sends requestMessage verbatim, without an id, and reads YAML replies from the real einhorn', async () => {
    const raw = await rawServer();
    const c = await client(raw.path);
    const socket = await raw.socket();
    const reply = c.requestMessage({ command: 'ehlo', user: 'alice' });
    await expect.poll(() => raw.received()).toBe('{"command":"ehlo","user":"alice"}\n');
    socket.write(
      '---%0Amessage: |%0A  Welcome, alice! You are speaking to Einhorn Master Process 17171.%0A  This is Einhorn 0.8.2.%0A\n',
    );
    expect(await reply).toEqual([
      {
        message:
          'Welcome, alice! You are speaking to Einhorn Master Process 17171.\nThis is Einhorn 0.8.2.\n',
      },
    ]);
  });

  it('sends options.fields after id, command and args, and refuses fields that would replace them', async () => {
    const raw = await rawServer();
    const c = await client(raw.path);
    const socket = await raw.socket();
    for (const fields of [{ id: 9 }, { command: 'x' }, { args: [] }, [] as never]) {
      expect(
        isEinhornError(
          await rejection(c.request('state', [], { fields })),
          'ERR_EINHORN_INVALID_OPTIONS',
        ),
      ).toBe(true);
    }
    const reply = c.request('state', [], { fields: { format: 'json' } });
    await expect.poll(() => raw.received()).toContain('\n');
    socket.write('{"message":"{}","request_id":1}\n');
    await reply;
    expect(raw.received()).toBe('{"id":1,"command":"state","args":[],"format":"json"}\n');
  });

  it('rejects bad arguments without sending anything', async () => {
    const raw = await rawServer();
    const c = await client(raw.path);
    expect(isEinhornError(await rejection(c.request('')), 'ERR_EINHORN_INVALID_OPTIONS')).toBe(
      true,
    );
    expect(
      isEinhornError(
        await rejection(c.requestMessage({ command: 'x', big: 1n })),
        'ERR_EINHORN_PROTOCOL_SCHEMA',
      ),
    ).toBe(true);
    expect(
      isEinhornError(
        await rejection(c.request('signal', [1] as never)),
        'ERR_EINHORN_INVALID_OPTIONS',
      ),
    ).toBe(true);
    expect(raw.received()).toBe('');
  });
});

describe('failures', () => {
  it('ERR_EINHORN_CLIENT_CONNECT with a hint when nothing is at the path (ENOENT)', async () => {
    const error = await rejection(connectEinhorn({ path: `${dir}/missing.sock` }));
    expect(isEinhornError(error, 'ERR_EINHORN_CLIENT_CONNECT')).toBe(true);
    expect((error as { details?: unknown }).details).toEqual({
      path: `${dir}/missing.sock`,
      errno: 'ENOENT',
    });
    expect((error as Error).message).toMatch(/is the master running/);
    expect((error as Error).cause).toBeInstanceOf(Error);
  });

  it('ERR_EINHORN_CLIENT_CONNECT with a hint for a stale socket (ECONNREFUSED)', async () => {
    const path = `${dir}/stale.sock`;
    const child = spawn(process.execPath, [
      '-e',
      `require('net').createServer().listen(${JSON.stringify(path)}, () => process.kill(process.pid, 'SIGKILL'))`,
    ]);
    await once(child, 'exit');
    const error = await rejection(connectEinhorn({ path }));
    expect(isEinhornError(error, 'ERR_EINHORN_CLIENT_CONNECT')).toBe(true);
    expect((error as { details?: Record<string, unknown> }).details?.['errno']).toBe(
      'ECONNREFUSED',
    );
    expect((error as Error).message).toMatch(/left behind by a master that exited/);
  });

  it('ERR_EINHORN_CLIENT_TIMEOUT when no reply comes, then the client is closed', async () => {
    const raw = await rawServer();
    const c = await client(raw.path, 200);
    const error = await rejection(c.request('state'));
    expect(isEinhornError(error, 'ERR_EINHORN_CLIENT_TIMEOUT')).toBe(true);
    expect(c.closed).toBe(true);
    expect(isEinhornError(await rejection(c.request('state')), 'ERR_EINHORN_CLIENT_CLOSED')).toBe(
      true,
    );
  });

  it('a per-request timeoutMs of 0 waits past the client timeout', async () => {
    const raw = await rawServer();
    const c = await client(raw.path, 50);
    const socket = await raw.socket();
    const reply = c.request('upgrade', [], { timeoutMs: 0 });
    await expect.poll(() => raw.received()).toContain('upgrade');
    // A second client with the same 50 ms timeout timing out proves that much time has passed.
    const clock = await client(raw.path, 50);
    expect(
      isEinhornError(await rejection(clock.request('state')), 'ERR_EINHORN_CLIENT_TIMEOUT'),
    ).toBe(true);
    expect(c.closed).toBe(false);
    socket.write('{"message":"Upgrade done","request_id":1}\n');
    expect((await reply).map((r) => r.message)).toEqual(['Upgrade done']);
  });

  it('ERR_EINHORN_CLIENT_CLOSED when the master closes the connection mid-stream', async () => {
    const raw = await rawServer();
    const c = await client(raw.path);
    const socket = await raw.socket();
    const pending = c.request('upgrade');
    const queued = c.request('state');
    await expect.poll(() => raw.received()).toContain('state');
    socket.end('{"message":"Upgrading smoothly, as commanded","request_id":1,"wait":true}\n');
    const error = await rejection(pending);
    expect(isEinhornError(error, 'ERR_EINHORN_CLIENT_CLOSED')).toBe(true);
    expect((error as { details?: Record<string, unknown> }).details?.['replies']).toBe(1);
    expect(isEinhornError(await rejection(queued), 'ERR_EINHORN_CLIENT_CLOSED')).toBe(true);
  });

  it('fails the request on a reply that is not a mapping, unless onInvalidReply takes it', async () => {
    const raw = await rawServer();
    const c = await client(raw.path);
    const socket = await raw.socket();
    const skipped: string[] = [];
    const tolerant = c.request('state', [], {
      onInvalidReply: (line, error) => {
        expect(error).toBeInstanceOf(EinhornProtocolError);
        skipped.push(line);
      },
    });
    socket.write('42\n{"message":"ok","request_id":1}\n');
    expect((await tolerant).map((r) => r.message)).toEqual(['ok']);
    expect(skipped).toEqual(['42']);
    const strict = c.request('state');
    socket.write('[1]\n');
    expect(await rejection(strict)).toBeInstanceOf(EinhornProtocolError);
  });

  it('close() rejects pending requests with ERR_EINHORN_CLIENT_CLOSED and is idempotent', async () => {
    const raw = await rawServer();
    const c = await connectEinhorn({ path: raw.path });
    const pending = rejection(c.request('upgrade'));
    await c.close();
    await c.close();
    expect(isEinhornError(await pending, 'ERR_EINHORN_CLIENT_CLOSED')).toBe(true);
  });

  it('rejects malformed options with ERR_EINHORN_INVALID_OPTIONS', async () => {
    for (const options of [
      { path: '' },
      { path: 'x', timeoutMs: -1 },
      { path: 'x', timeoutMs: Number.NaN },
    ]) {
      expect(
        isEinhornError(await rejection(connectEinhorn(options)), 'ERR_EINHORN_INVALID_OPTIONS'),
      ).toBe(true);
    }
  });
});
