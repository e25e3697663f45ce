// P3 and P19 against a real master: hostile lines never take it down (check 52).
import { afterEach, describe, expect, it } from 'vitest';
import { unescapeLine } from '@einhorn/core';
import { decodeMessage } from '@einhorn/core/yaml';
import { cleanup, rawSession, startMaster } from './helpers.ts';

afterEach(cleanup);

describe('hostile command lines', () => {
  it('check 52 / P3: a YAML date, a Ruby tag and an alias get "Could not parse command" or a normal reply; the master survives', async () => {
    const master = await startMaster({ options: ['-n', '1', '-m', '0'] });
    for (const line of [
      '{"command":"help","id":1,"x":2020-01-01}\n',
      '--- !ruby/object:Object {}\n',
      '--- &a {command: help, id: *a}\n',
      '*x\n',
    ]) {
      const session = await rawSession(master.socketPath);
      session.write(line);
      const reply = await session.line();
      const message = (decodeMessage(unescapeLine(reply.trimEnd())) as { message: string }).message;
      expect(
        message === 'Could not parse command' ||
          message.startsWith('You are speaking to the Einhorn command socket'),
      ).toBe(true);
      session.destroy();
      expect((await master.state()).master_pid).toBe(master.pid);
    }
  });

  it('check 52 / P19: a 3 MB line gets a typed error reply and closes only that connection; others keep being served', async () => {
    const master = await startMaster({ options: ['-n', '1', '-m', '0'] });
    const other = await master.client();
    const session = await rawSession(master.socketPath);
    session.write(`{"command":"help","x":"${'a'.repeat(3 * 1024 * 1024)}"}\n`);
    const [reply, ...rest] = (await session.closed).split('\n');
    expect(JSON.parse(reply ?? '')).toEqual({
      message: expect.stringMatching(
        /^Line too long \(ERR_EINHORN_PROTOCOL_LINE_TOO_LONG\): expected request lines of at most 65536 bytes/,
      ) as unknown,
    });
    expect(rest).toEqual(['']);
    expect((await other.request('louder'))[0]?.message).toBe('Verbosity set to 0');
    expect((await master.state()).master_pid).toBe(master.pid);
    expect(master.child.exitCode).toBeNull();
  });

  it('a line of exactly 64 KiB is served; one byte more is refused (the master caps lines at 64 KiB)', async () => {
    const master = await startMaster({ options: ['-n', '1', '-m', '0'] });
    const head = '{"command":"louder","id":1,"x":"';
    const fill = (size: number): string => `${head}${'a'.repeat(size - head.length - 2)}"}`;
    const fits = await rawSession(master.socketPath);
    fits.write(`${fill(64 * 1024)}\n`);
    expect(JSON.parse(await fits.line())).toMatchObject({ request_id: 1 });
    fits.destroy();
    const over = await rawSession(master.socketPath);
    over.write(`${fill(64 * 1024 + 1)}\n`);
    expect(await over.closed).toMatch(
      /^\{"message":"Line too long \(ERR_EINHORN_PROTOCOL_LINE_TOO_LONG\)/,
    );
  });
});
