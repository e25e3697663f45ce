import { createRequire } from 'node:module';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EinhornClientError, isEinhornError, type EinhornReply } from '@einhorn/core';
import * as esm from '@einhorn/client';
import * as master from '@einhorn/master';
import { killAll, makeTempDir, startFakeMaster } from '../shell/harness.ts';

// The built CommonJS copy, loaded next to the ESM copy.
const cjs = createRequire(import.meta.url)('@einhorn/client') as typeof esm;

let dir: string;
let cleanup: () => Promise<void>;
let path: string;
const clients: esm.EinhornClient[] = [];

beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
  path = `${dir}/einhorn.sock`;
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await killAll();
  await cleanup();
});

async function connect(
  build: typeof esm,
  options: esm.EinhornClientOptions,
): Promise<esm.EinhornClient> {
  const client = await build.connectEinhorn(options);
  clients.push(client);
  return client;
}

describe.each([
  ['ESM', esm],
  ['CJS', cjs],
])('the built client (%s) against a master process', (_format, build) => {
  it('sends numbered requests and reads their replies (check 11)', async () => {
    const master = await startFakeMaster(path);
    const client = await connect(build, { path });
    expect(await client.request('inc')).toEqual([
      { message: 'Incrementing number of workers from 2 -> 3', request_id: 1 },
    ]);
    expect(await client.request('set_workers', ['3'])).toEqual([{ message: '', request_id: 2 }]);
    expect(await master.requests(2)).toEqual([
      [{ command: 'inc', id: 1 }, 1],
      [{ command: 'set_workers', id: 2, args: ['3'] }, 2],
    ]);
  });

  it('sends ehlo without an id and gets the old-style reply (check 54)', async () => {
    await startFakeMaster(path);
    const client = await connect(build, { path });
    const [reply] = await client.requestMessage({
      command: 'ehlo',
      user: 'alice',
    });
    expect(reply?.message).toMatch(
      /^Welcome, alice! You are speaking to Einhorn Master Process \d+\.\n/,
    );
    expect(reply).not.toHaveProperty('request_id');
  });

  it('follows an upgrade stream until the reply without wait (check 56)', async () => {
    const master = await startFakeMaster(path);
    const client = await connect(build, { path });
    const seen: EinhornReply[] = [];
    const done = client.request('upgrade', [], {
      timeoutMs: 0,
      onMessage: (reply) => {
        seen.push(reply);
        if (seen.length === 2) master.release();
      },
    });
    const replies = await done;
    expect(replies.map((r) => [r.message, r.wait ?? false])).toEqual([
      ['Upgrading smoothly, as commanded', true],
      ['Starting smooth upgrade from version 2...', true],
      ['===> Launched 1003 (index: 2)', true],
      ['Upgrade done', false],
    ]);
    expect(replies.every((r) => r.request_id === 1)).toBe(true);
  });

  it('rejects with ERR_EINHORN_CLIENT_CLOSED when the master drops the stream', async () => {
    await startFakeMaster(path);
    const client = await connect(build, { path });
    const error: unknown = await client.request('upgrade_fleet').catch((caught: unknown) => caught);
    expect(isEinhornError(error, 'ERR_EINHORN_CLIENT_CLOSED')).toBe(true);
    expect(error instanceof EinhornClientError).toBe(true); // across the ESM/CJS copies of @einhorn/core
  });

  it('rejects with ERR_EINHORN_CLIENT_CONNECT when no master listens', async () => {
    const error: unknown = await build.connectEinhorn({ path }).catch((caught: unknown) => caught);
    expect(isEinhornError(error, 'ERR_EINHORN_CLIENT_CONNECT')).toBe(true);
    expect(error instanceof EinhornClientError).toBe(true);
  });

  it("computes einhorn's default socket path", () => {
    expect(build.defaultSocketPath('web', { TMPDIR: dir })).toBe(`${dir}/einhorn-web.sock`);
  });
});

describe('the built command server, served in this process, with the built client', () => {
  it('answers pre-dispatch errors itself and dispatches the rest in order (checks 14–17)', async () => {
    const dispatched: string[] = [];
    const server = await master.startCommandServer({
      path,
      dispatch: (request) => {
        dispatched.push(request.command.command);
        request.reply(master.helpMessage());
      },
    });
    try {
      const client = await connect(esm, { path });
      const [help, bogus, nameless] = await Promise.all([
        client.request('help'),
        client.request('bogus'),
        client.requestMessage({ foo: 1, id: 9 }),
      ]);
      expect(help).toEqual([{ message: master.helpMessage(), request_id: 1 }]);
      expect(bogus[0]?.message).toMatch(/^Unrecognized command: "bogus"\n\nconfig: /);
      expect(nameless).toEqual([
        {
          message: 'No "command" parameter provided; not sure what you want me to do.',
          request_id: 9,
        },
      ]);
      expect(dispatched).toEqual(['help']);
    } finally {
      await server.close();
    }
  });
});
