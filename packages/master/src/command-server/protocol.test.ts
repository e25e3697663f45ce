import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { helpList } from '../help.ts';
import {
  connectPeer,
  fakeDispatcher,
  makeTempDir,
  type FakeDispatcher,
  type Peer,
} from './harness.test-helpers.ts';
import { startCommandServer } from './start.ts';
import type { CommandServer, CommandServerEvent } from './types.ts';

let cleanup: () => Promise<void>;
let server: CommandServer;
let fake: FakeDispatcher;
let events: CommandServerEvent[];
const peers: Peer[] = [];

async function peer(): Promise<Peer> {
  const created = await connectPeer(server.path);
  peers.push(created);
  return created;
}

beforeEach(async () => {
  const temp = await makeTempDir();
  cleanup = temp.cleanup;
  fake = fakeDispatcher();
  events = [];
  server = await startCommandServer({
    path: `${temp.dir}/einhorn.sock`,
    dispatch: fake.dispatch,
    onEvent: (event) => events.push(event),
  });
});

afterEach(async () => {
  peers.splice(0).forEach((p) => {
    p.destroy();
  });
  await server.close();
  await cleanup();
});

describe('replies and request ids', () => {
  it('check 11: replies with request_id and no wait, and keeps the connection open', async () => {
    const client = await peer();
    client.write('{"command":"inc","id":7}\n');
    expect(await client.nextReply()).toEqual({
      message: 'Incrementing number of workers from 1 -> 2',
      request_id: 7,
    });
    client.write('{"command":"inc","id":8}\n');
    expect(await client.nextReply()).toEqual({
      message: 'Incrementing number of workers from 2 -> 3',
      request_id: 8,
    });
  });

  it('check 12: a request without id gets a message-only reply', async () => {
    const client = await peer();
    client.write('{"command":"louder"}\n');
    expect(await client.nextLine()).toBe('{"message":"Verbosity set to 0"}');
  });

  it('check 13: id null counts as absent', async () => {
    const client = await peer();
    client.write('{"command":"louder","id":null}\n');
    expect(await client.nextLine()).toBe('{"message":"Verbosity set to 0"}');
    expect(fake.requests[0]?.id).toBeUndefined();
  });

  it('never sends wait without a request_id, as einhorn does', async () => {
    fake.on('upgrade', (request) => {
      request.reply('Upgrading smoothly, as commanded', { wait: true });
      request.reply('Upgrade done');
    });
    const client = await peer();
    client.write('{"command":"upgrade"}\n{"command":"upgrade","id":"u"}\n');
    expect([await client.nextReply(), await client.nextReply()]).toEqual([
      { message: 'Upgrading smoothly, as commanded' },
      { message: 'Upgrade done' },
    ]);
    expect([await client.nextReply(), await client.nextReply()]).toEqual([
      {
        message: 'Upgrading smoothly, as commanded',
        request_id: 'u',
        wait: true,
      },
      { message: 'Upgrade done', request_id: 'u' },
    ]);
  });

  it('lets the dispatcher stream replies later, after other requests were answered', async () => {
    let later: ((message: string) => void) | undefined;
    fake.on('upgrade', (request) => {
      request.reply('Upgrading smoothly, as commanded', { wait: true });
      later = (message) => {
        request.reply(message);
      };
    });
    const client = await peer();
    client.write('{"command":"upgrade","id":1}\n{"command":"louder","id":2}\n');
    expect(await client.nextReply()).toMatchObject({
      request_id: 1,
      wait: true,
    });
    expect(await client.nextReply()).toEqual({
      message: 'Verbosity set to 0',
      request_id: 2,
    });
    later?.('Upgrade done');
    expect(await client.nextReply()).toEqual({
      message: 'Upgrade done',
      request_id: 1,
    });
  });
});

describe('pre-dispatch replies', () => {
  it.each(['\n', '42\n', 'garbage: [\n', '[1, 2]\n'])(
    'check 14: %j gets "Could not parse command" and the connection stays usable',
    async (line) => {
      const client = await peer();
      client.write(line);
      expect(await client.nextLine()).toBe('{"message":"Could not parse command"}');
      client.write('{"command":"louder","id":3}\n');
      expect(await client.nextReply()).toEqual({
        message: 'Verbosity set to 0',
        request_id: 3,
      });
      expect(events).toContainEqual({
        type: 'unparseable',
        connectionId: expect.any(Number) as number,
      });
      expect(fake.requests.map((r) => r.command.command)).toEqual(['louder']);
    },
  );

  it('check 15: a mapping without command', async () => {
    const client = await peer();
    client.write('{"foo":1,"id":9}\n');
    expect(await client.nextReply()).toEqual({
      message: 'No "command" parameter provided; not sure what you want me to do.',
      request_id: 9,
    });
  });

  it('check 16: an unknown command lists the 13 described commands, sorted', async () => {
    const client = await peer();
    client.write('{"command":"bogus","id":1}\n');
    const reply = await client.nextReply();
    expect(reply['request_id']).toBe(1);
    const message = String(reply['message']);
    expect(message.startsWith('Unrecognized command: "bogus"\n\n')).toBe(true);
    const entries = message.slice('Unrecognized command: "bogus"\n\n'.length).trimEnd().split('\n');
    expect(entries).toHaveLength(13);
    expect(entries.map((entry) => entry.split(':')[0])).toEqual([
      'config',
      'dec',
      'die',
      'help',
      'inc',
      'louder',
      'quieter',
      'reload',
      'set_workers',
      'signal',
      'state',
      'upgrade',
      'upgrade_fleet',
    ]);
    expect(message).toBe(`Unrecognized command: "bogus"\n\n${helpList()}\n`);
    expect(fake.requests).toHaveLength(0);
  });

  it('check 19: only %25 and %0A are decoded, and the reply is re-escaped', async () => {
    const client = await peer();
    client.write('{"command":"stat%65","id":6}\n');
    const line = await client.nextLine();
    expect(line).toContain('Unrecognized command: \\"stat%2565\\"');
  });

  it('quotes unknown names the way Ruby inspects them', async () => {
    const client = await peer();
    client.write('{"command":"a\\"b#{c}","id":1}\n');
    expect(String((await client.nextReply())['message'])).toMatch(
      /^Unrecognized command: "a\\"b\\#\{c\}"\n\n/,
    );
  });

  it('check 20: escaped block YAML is a request like any other', async () => {
    const client = await peer();
    client.write('---%0Acommand: quieter%0Aid: 5%0A\n');
    expect(await client.nextReply()).toEqual({
      message: 'Verbosity set to 2',
      request_id: 5,
    });
  });

  it('check 21: %25 in a field is decoded for the dispatcher and re-escaped on the wire', async () => {
    const client = await peer();
    client.write('{"command":"ehlo","user":"a%25b","id":10}\n');
    const line = await client.nextLine();
    expect(line).toContain('Welcome, a%25b!');
    expect(fake.requests[0]?.command).toEqual({
      command: 'ehlo',
      user: 'a%b',
      id: 10,
    });
  });

  it.each([
    ['{"command":"signal","args":"USR1","id":3}\n', 'Args must be an array'],
    ['{"command":"set_workers","args":[3],"id":3}\n', 'Argument is a Integer, not a string: 3'],
    ['{"command":"die","args":[null],"id":3}\n', 'Argument is a NilClass, not a string: nil'],
    [
      '{"command":"config","args":[{"a":[1,2.5]}],"id":3}\n',
      'Argument is a Hash, not a string: {"a"=>[1, 2.5]}',
    ],
  ])('answers invalid arguments like einhorn: %s', async (line, message) => {
    const client = await peer();
    client.write(line);
    expect(await client.nextReply()).toEqual({ message, request_id: 3 });
    expect(fake.requests).toHaveLength(0);
    expect(events.some((event) => event.type === 'invalid-request')).toBe(true);
  });

  it('answers other schema failures with one sentence and the request_id', async () => {
    const client = await peer();
    client.write('{"command":"ehlo","user":42,"id":4}\n');
    const reply = await client.nextReply();
    expect(reply['request_id']).toBe(4);
    expect(String(reply['message'])).toMatch(/^Invalid "ehlo" request: /);
  });

  it('replies like einhorn when the dispatcher throws, and keeps serving', async () => {
    fake.on('state', () => {
      throw new RangeError('boom');
    });
    const client = await peer();
    client.write('{"command":"state","id":1}\n{"command":"louder","id":2}\n');
    expect(await client.nextReply()).toEqual({
      message: 'Error while processing command "state": boom (RangeError)',
      request_id: 1,
    });
    expect(await client.nextReply()).toEqual({
      message: 'Verbosity set to 0',
      request_id: 2,
    });
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'dispatch-error', command: 'state' }),
    );
  });
});

describe('ordering and framing', () => {
  it('check 17: pipelined requests are answered in order', async () => {
    const client = await peer();
    client.write(
      '{"command":"help","id":1}\n{"command":"louder","id":2}\n{"command":"quieter","id":3}\n',
    );
    const ids = [await client.nextReply(), await client.nextReply(), await client.nextReply()].map(
      (r) => r['request_id'],
    );
    expect(ids).toEqual([1, 2, 3]);
  });

  it('check 17: keeps order across many lines split at arbitrary byte boundaries', async () => {
    const client = await peer();
    const text = Array.from({ length: 500 }, (_, i) => `{"command":"louder","id":${i}}\n`).join('');
    const bytes = Buffer.from(text);
    for (let start = 0; start < bytes.length; start += 7)
      client.write(bytes.subarray(start, start + 7));
    const ids: unknown[] = [];
    for (let i = 0; i < 500; i += 1) ids.push((await client.nextReply())['request_id']);
    expect(ids).toEqual(Array.from({ length: 500 }, (_, i) => i));
  });

  it('check 18: a line without LF waits, without blocking other connections, until LF arrives', async () => {
    const slow = await peer();
    slow.write('{"command":"louder","id":4}');
    const other = await peer();
    other.write('{"command":"quieter","id":1}\n');
    expect(await other.nextReply()).toEqual({
      message: 'Verbosity set to 2',
      request_id: 1,
    });
    expect(slow.received()).toBe('');
    expect(fake.requests.map((r) => r.command.command)).toEqual(['quieter']);
    slow.write('\n');
    expect(await slow.nextReply()).toEqual({
      message: 'Verbosity set to 1',
      request_id: 4,
    });
  });

  it('accepts CRLF line ends', async () => {
    const client = await peer();
    client.write('{"command":"louder","id":1}\r\n');
    expect(await client.nextReply()).toEqual({
      message: 'Verbosity set to 0',
      request_id: 1,
    });
  });

  it('answers lines already received when the peer half-closes, then closes', async () => {
    const client = await peer();
    client.socket.end(
      '{"command":"louder","id":1}\n{"command":"louder","id":2}\n{"command":"louder"',
    );
    await client.closed;
    expect(client.lines.map((line) => JSON.parse(line) as unknown)).toEqual([
      { message: 'Verbosity set to 0', request_id: 1 },
      { message: 'Verbosity set to 0', request_id: 2 },
    ]);
  });
});

describe('worker commands close the connection', () => {
  it('check 22: worker:ack is dispatched and the connection closed with zero reply bytes', async () => {
    const client = await peer();
    client.write(`{"command":"worker:ack","pid":${process.pid}}\n`);
    await client.closed;
    expect(client.received()).toBe('');
    expect(fake.requests.map((r) => r.command)).toEqual([
      { command: 'worker:ack', pid: process.pid },
    ]);
  });

  it('check 23: the Ruby client form works the same', async () => {
    const client = await peer();
    client.write('---%0Acommand: worker:ack%0Apid: 4242%0A\n');
    await client.closed;
    expect(client.received()).toBe('');
    expect(fake.requests.map((r) => r.command)).toEqual([{ command: 'worker:ack', pid: 4242 }]);
  });

  it.each([
    '{"command":"worker:ack","pid":"4242"}\n',
    '{"command":"worker:ack"}\n',
    '{"command":"worker:ping","pid":1}\n',
  ])('check 24: %s closes with no reply and is not dispatched', async (line) => {
    const client = await peer();
    client.write(line);
    await client.closed;
    expect(client.received()).toBe('');
    expect(fake.requests).toHaveLength(0);
    expect(events).toContainEqual(expect.objectContaining({ type: 'invalid-request' }));
  });

  it('check 25: two ACKs and a pipelined command in one write: one dispatch, no reply, closed', async () => {
    const client = await peer();
    client.write(
      '{"command":"worker:ack","pid":11}\n{"command":"worker:ack","pid":11}\n{"command":"help","id":1}\n',
    );
    await client.closed;
    expect(client.received()).toBe('');
    expect(fake.requests.map((r) => r.command.command)).toEqual(['worker:ack']);
  });

  it('check 27: worker:ping is dispatched with its request_id and closed without reply', async () => {
    const client = await peer();
    client.write('{"command":"worker:ping","pid":12,"request_id":"req-42"}\n');
    await client.closed;
    expect(client.received()).toBe('');
    expect(fake.requests.map((r) => r.command)).toEqual([
      { command: 'worker:ping', pid: 12, request_id: 'req-42' },
    ]);
  });
});

describe('the connection handle', () => {
  it('closes from the dispatcher after flushing, calls onClose once, and ignores later sends', async () => {
    let closes = 0;
    fake.on('state', (request) => {
      request.connection.onClose(() => {
        closes += 1;
      });
      request.reply('bye');
      request.connection.close();
      expect(request.connection.closed).toBe(true);
      request.reply('dropped');
    });
    const client = await peer();
    client.write('{"command":"state","id":1}\n{"command":"louder","id":2}\n');
    await client.closed;
    expect(client.lines).toEqual(['{"message":"bye","request_id":1}']);
    await expect.poll(() => closes).toBe(1);
    expect(fake.requests).toHaveLength(1);
  });

  it('numbers connections from 1 and reports open and close', async () => {
    const a = await peer();
    const b = await peer();
    a.write('{"command":"louder"}\n');
    b.write('{"command":"louder"}\n');
    await a.nextLine();
    await b.nextLine();
    expect(fake.requests.map((r) => r.connection.id).sort()).toEqual([1, 2]);
    expect(server.connectionCount).toBe(2);
    a.destroy();
    await expect.poll(() => server.connectionCount).toBe(1);
    expect(events).toContainEqual({
      type: 'connection-close',
      connectionId: expect.any(Number) as number,
    });
  });
});
