import { afterEach, describe, expect, it } from 'vitest';
import {
  connectPeer,
  fakeDispatcher,
  makeTempDir,
  type FakeDispatcher,
  type Peer,
} from './harness.test-helpers.ts';
import { encodeReply } from '@einhorn/core';
import { lineTooLongMessage } from './connection.ts';
import { startCommandServer } from './start.ts';
import type { CommandServer, CommandServerEvent, CommandServerOptions } from './types.ts';

let cleanup: (() => Promise<void>) | undefined;
let server: CommandServer | undefined;
const peers: Peer[] = [];

async function start(
  options: Partial<CommandServerOptions> = {},
): Promise<{ fake: FakeDispatcher; events: CommandServerEvent[] }> {
  const temp = await makeTempDir();
  cleanup = temp.cleanup;
  const fake = fakeDispatcher();
  const events: CommandServerEvent[] = [];
  server = await startCommandServer({
    path: `${temp.dir}/einhorn.sock`,
    dispatch: fake.dispatch,
    onEvent: (event) => events.push(event),
    ...options,
  });
  return { fake, events };
}

async function peer(): Promise<Peer> {
  if (server === undefined) throw new Error('no server');
  const created = await connectPeer(server.path);
  peers.push(created);
  return created;
}

/** Proves the server still answers a fresh client. */
async function roundTrip(id: number): Promise<void> {
  const client = await peer();
  client.write(`{"command":"louder","id":${id}}\n`);
  expect((await client.nextReply())['request_id']).toBe(id);
  client.destroy();
}

afterEach(async () => {
  peers.splice(0).forEach((p) => {
    p.destroy();
  });
  await server?.close();
  server = undefined;
  await cleanup?.();
});

describe('hostile input (P3, P19, check 52)', () => {
  it('check 52: survives a YAML date, a Ruby object tag, aliases and a 3 MB line, and keeps serving', async () => {
    const { fake } = await start();
    const client = await peer();
    client.write('{"command":"help","id":1,"x":2020-01-01}\n');
    const dated = await client.nextReply();
    expect(dated['request_id']).toBe(1); // the date stays a string: a normal help reply
    expect(fake.requests[0]?.command.command).toBe('help');
    client.write('--- !ruby/object:Object {}\n');
    expect(await client.nextLine()).toBe('{"message":"Could not parse command"}');
    client.write('---%0Ax: &a 1%0Ay: *a%0Acommand: louder%0Aid: 2%0A\n');
    expect(await client.nextReply()).toEqual({
      message: 'Verbosity set to 0',
      request_id: 2,
    });
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let level = 1; level < 9; level += 1) {
      const previous = String.fromCharCode(96 + level);
      const name = String.fromCharCode(97 + level);
      bomb.push(`${name}: &${name} [${Array(10).fill(`*${previous}`).join(',')}]`);
    }
    client.write(`---%0A${bomb.join('%0A')}%0Acommand: louder%0Aid: 3%0A\n`);
    const reply = await client.nextReply();
    expect([
      { message: 'Could not parse command' },
      { message: 'Verbosity set to 0', request_id: 3 },
    ]).toContainEqual(reply);
    const big = await peer();
    big.write(`{"command":"help","id":4,"x":"${'y'.repeat(3 * 1024 * 1024)}"}\n`);
    await big.closed;
    await roundTrip(5);
    client.write('{"command":"louder","id":6}\n');
    expect((await client.nextReply())['request_id']).toBe(6);
  });

  it('answers invalid UTF-8 and stray NUL bytes instead of failing', async () => {
    await start();
    const client = await peer();
    client.write(Buffer.from([0xff, 0xfe, 0x00, 0x0a]));
    expect(await client.nextLine()).toBe('{"message":"Could not parse command"}');
    client.write(
      Buffer.concat([
        Buffer.from('{"command":"'),
        Buffer.from([0xc3, 0x28]),
        Buffer.from('","id":1}\n'),
      ]),
    );
    const reply = await client.nextReply();
    expect(String(reply['message'])).toMatch(/^Unrecognized command: "\uFFFD\("/);
  });

  it('check 52: answers a line over maxLineBytes with a typed error, after the lines before it, and closes only that connection without waiting for its end', async () => {
    const { events } = await start({ maxLineBytes: 1024 });
    const other = await peer();
    const big = await peer();
    big.write('{"command":"louder","id":7}\n{"command":"help","x":"');
    big.write('z'.repeat(4096)); // no LF: refused as soon as the limit is crossed
    await big.closed;
    const [first, second, ...rest] = big.received().split('\n');
    expect(JSON.parse(first ?? '')).toMatchObject({ request_id: 7 });
    expect(second).toBe(encodeReply(lineTooLongMessage(1024)).trimEnd());
    expect(rest).toEqual(['']);
    expect(lineTooLongMessage(1024)).toMatch(
      /^Line too long \(ERR_EINHORN_PROTOCOL_LINE_TOO_LONG\)/,
    );
    expect(events).toContainEqual(expect.objectContaining({ type: 'line-too-long' }));
    const event = events.find((e) => e.type === 'line-too-long');
    expect(event !== undefined && 'bytes' in event && event.bytes > 1024).toBe(true);
    other.write('{"command":"louder","id":1}\n');
    expect((await other.nextReply())['request_id']).toBe(1);
  });

  it('accepts a line of exactly maxLineBytes', async () => {
    await start({ maxLineBytes: 64 });
    const client = await peer();
    const line = '{"command":"louder","id":1}';
    client.write(`${line}${' '.repeat(64 - line.length)}\n`);
    expect((await client.nextReply())['request_id']).toBe(1);
  });
});

describe('connection limits', () => {
  it('serves a normal request while 2 000 idle connections are open', async () => {
    await start({ maxConnections: 4096 });
    const idle: Peer[] = [];
    for (let i = 0; i < 2000; i += 1) idle.push(await peer());
    idle[1999]?.write('{"command":"louder","id":1}');
    await expect.poll(() => server?.connectionCount, { timeout: 20_000 }).toBe(2000);
    await roundTrip(2);
    idle[0]?.write('{"command":"louder","id":3}\n');
    expect((await idle[0]!.nextReply())['request_id']).toBe(3);
  }, 60_000);

  it('refuses connections beyond maxConnections and keeps serving the others', async () => {
    const { events } = await start({ maxConnections: 3 });
    const kept = [await peer(), await peer(), await peer()];
    await expect.poll(() => server?.connectionCount).toBe(3);
    const refused = await peer();
    await refused.closed;
    expect(events).toContainEqual({
      type: 'connection-refused',
      reason: 'max-connections',
    });
    for (const [i, client] of kept.entries()) {
      client.write(`{"command":"louder","id":${i}}\n`);
      expect((await client.nextReply())['request_id']).toBe(i);
    }
  });

  it('closes idle connections after idleTimeoutMs when set', async () => {
    await start({ idleTimeoutMs: 100 });
    // A peer that never writes: the close can only come from the idle timer. (A peer that first
    // writes would race that 100 ms timer on a loaded machine.)
    const quiet = await peer();
    await quiet.closed;
    expect(quiet.received()).toBe('');
    await expect.poll(() => server?.connectionCount).toBe(0);
  });
});

describe('peers that do not read', () => {
  it('stops processing pipelined requests of a peer that does not read, serves others, and loses nothing', async () => {
    const { fake } = await start();
    const total = 20_000;
    const slow = await peer();
    slow.socket.pause();
    slow.write('{"command":"help"}\n'.repeat(total)); // ~28 MB of replies
    await expect.poll(() => fake.requests.length, { timeout: 20_000 }).toBeGreaterThan(50);
    for (let i = 0; i < 50; i += 1) await roundTrip(i);
    const slowHandled = fake.requests.filter((r) => r.connection.id === 1).length;
    expect(slowHandled).toBeLessThan(total / 2); // back-pressure, not an in-memory backlog
    slow.socket.resume();
    await expect.poll(() => slow.lines.length, { timeout: 30_000 }).toBe(total);
  }, 60_000);

  it('destroys a connection whose unread replies exceed maxPendingWriteBytes', async () => {
    const { fake, events } = await start({ maxPendingWriteBytes: 256 * 1024 });
    fake.on('upgrade', (request) => {
      for (let i = 0; i < 100 && !request.connection.closed; i += 1)
        request.reply('x'.repeat(100_000), { wait: true });
    });
    const slow = await peer();
    slow.socket.pause();
    slow.write('{"command":"upgrade","id":1}\n');
    await expect
      .poll(() => events)
      .toContainEqual(expect.objectContaining({ type: 'write-buffer-full', connectionId: 1 }));
    await expect.poll(() => server?.connectionCount).toBe(0);
    slow.socket.resume(); // the EOF is only seen once the buffered bytes are read
    await slow.closed;
    expect(slow.received().length).toBeLessThan(100 * 100_000);
    await roundTrip(1);
  });
});
