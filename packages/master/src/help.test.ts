import { describe, expect, it } from 'vitest';
import { COMMAND_DESCRIPTIONS, helpList, helpMessage, unrecognizedCommandMessage } from './help.ts';

describe('help texts', () => {
  it("check 16: lists einhorn's 13 described commands as NAME: DESCRIPTION, sorted by name", () => {
    const lines = helpList().split('\n');
    expect(lines).toHaveLength(13);
    const names = lines.map((line) => line.slice(0, line.indexOf(': ')));
    expect(names).toEqual([...names].sort());
    expect(names).toEqual(Object.keys(COMMAND_DESCRIPTIONS).sort());
    for (const line of lines) expect(line).toMatch(/^[a-z_]+: \S/);
  });

  it('hides worker:ack, worker:ping and ehlo, as einhorn registers them without a description', () => {
    for (const hidden of ['worker:ack', 'worker:ping', 'ehlo']) {
      expect(helpList()).not.toContain(`${hidden}:`);
      expect(Object.keys(COMMAND_DESCRIPTIONS)).not.toContain(hidden);
    }
  });

  it("keeps einhorn's wording", () => {
    expect(helpList()).toContain("state: Get a dump of Einhorn's current state");
    expect(helpList()).toContain(
      'signal: Send one or more signals to all workers (args: SIG1 [SIG2 ...])',
    );
  });

  it('builds the help reply and the unrecognized-command reply around the list', () => {
    expect(helpMessage()).toBe(
      `You are speaking to the Einhorn command socket. You can run the following commands:\n\n${helpList()}\n`,
    );
    expect(unrecognizedCommandMessage('"bogus"')).toBe(
      `Unrecognized command: "bogus"\n\n${helpList()}\n`,
    );
  });

  it('cannot be modified at run time', () => {
    expect(Object.isFrozen(COMMAND_DESCRIPTIONS)).toBe(true);
  });
});
