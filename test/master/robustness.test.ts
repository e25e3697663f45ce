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

  it('check 52 / P19: a 3 MB line closes only that connection; others keep being served', async () => {
    const master = await startMaster({ options: ['-n', '1', '-m', '0'] });
    const other = await master.client();
    const session = await rawSession(master.socketPath);
    session.write(`{"command":"help","x":"${'a'.repeat(3 * 1024 * 1024)}"}\n`);
    await session.closed;
    expect((await other.request('louder'))[0]?.message).toBe('Verbosity set to 0');
    expect((await master.state()).master_pid).toBe(master.pid);
    expect(master.child.exitCode).toBeNull();
  });
});
