// The command dispatcher against a real master: effects and exact replies of every command.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { unescapeLine } from '@einhorn/core';
import { decodeMessage } from '@einhorn/core/yaml';
import { helpMessage } from '@einhorn/master';
import { cleanup, rawSession, startMaster } from './helpers.ts';
import type { FixtureEvent, StateDoc } from './helpers.ts';

afterEach(cleanup);

const children = (state: StateDoc) => Object.values(state.children);
const signalsOf = (events: readonly FixtureEvent[], pid: number) =>
  events.filter((e) => e.event === 'signal' && e.pid === pid).map((e) => e['signal']);

describe('worker count commands', () => {
  it('check 11: inc replies "Incrementing number of workers from 1 -> 2" with request_id and no wait; the connection stays open', async () => {
    const master = await startMaster({ options: ['-n', '1', '-m', '0'] });
    const session = await rawSession(master.socketPath);
    session.write('{"command":"inc","id":7}\n');
    const line = await session.line();
    expect(decodeMessage(line)).toEqual({
      message: 'Incrementing number of workers from 1 -> 2',
      request_id: 7,
    });
    session.write('{"command":"louder","id":8}\n');
    await master.waitForState((s) => s.config.number === 2);
    session.destroy();
  });

  it('check 41: inc spawns exactly one worker; dec USR2s exactly one, preferring an unACKed one', async () => {
    const master = await startMaster({
      options: ['-n', '2', '-m', 'manual', '-s', '0.2'],
      env: { FIXTURE_ACK: 'manual', FIXTURE_NO_ACK_IF: 'hang' },
    });
    const before = await master.waitForState(
      (s) => children(s).filter((c) => c.acked).length === 2,
    );
    writeFileSync(join(master.dir, 'hang'), '');
    const client = await master.client();
    expect((await client.request('inc'))[0]?.message).toBe(
      'Incrementing number of workers from 2 -> 3',
    );
    const grown = await master.waitForState((s) => children(s).length === 3);
    const added = children(grown).find((c) => !(String(c.pid) in before.children))!;
    await master.waitForEvents((all) =>
      all.some((e) => e.event === 'start' && e.pid === added.pid),
    );
    expect(added.acked).toBe(false);
    expect((await client.request('dec'))[0]?.message).toBe(
      'Decrementing number of workers from 3 -> 2',
    );
    const events = await master.waitForEvents((all) =>
      signalsOf(all, added.pid).includes('SIGUSR2'),
    );
    for (const pid of Object.keys(before.children))
      expect(signalsOf(events, Number(pid))).toEqual([]);
    const after = await master.waitForState((s) => children(s).length === 2);
    expect(Object.keys(after.children).sort()).toEqual(Object.keys(before.children).sort());
  });

  it('check 42: set_workers validation and replies', async () => {
    const master = await startMaster({ options: ['-n', '2', '-m', '0', '-s', '30'] });
    await master.waitForState((s) => children(s).filter((c) => c.acked).length === 2);
    const client = await master.client();
    const ask = async (args: string[]) => (await client.request('set_workers', args))[0]?.message;
    expect(await ask([])).toBe("Invalid count: ''. Must be an integer in [1,1000).");
    expect(await ask(['abc'])).toBe("Invalid count: 'abc'. Must be an integer in [1,1000).");
    expect(await ask(['0'])).toBe("Invalid count: '0'. Must be an integer in [1,1000).");
    expect(await ask(['1001'])).toBe("Invalid count: '1001'. Must be an integer in [1,1000).");
    expect(await ask(['2'])).toBe('');
    expect(await ask(['1000'])).toBe(
      'Altering worker count, 2 -> 1000. Will spin up additional workers.',
    );
    expect(await ask(['1'])).toBe(
      'Altering worker count, 1000 -> 1. Will gracefully terminate workers.',
    );
    await master.waitForState(
      (s) =>
        s.config.number === 1 && children(s).filter((c) => c.signaled.length === 0).length === 1,
    );
  });

  it("check 43: dec at 1 refuses with einhorn's text and signals nobody", async () => {
    const master = await startMaster({ options: ['-n', '1', '-m', '0'] });
    const state = await master.waitForState((s) => children(s).length === 1);
    const replies = await master.request('dec');
    expect(replies[0]?.message).toBe(
      `Can't decrease number of workers (already at 1).  Run kill ${master.pid} if you really want to kill einhorn.`,
    );
    expect((await master.state()).children[Object.keys(state.children)[0]!]?.signaled).toEqual([]);
  });
});

describe('signal and die', () => {
  it('check 44: signal sigusr1 reaches every worker, replies "", is not recorded; FOO is refused', async () => {
    const master = await startMaster({ options: ['-n', '2', '-m', '0'] });
    const state = await master.waitForState((s) => children(s).filter((c) => c.acked).length === 2);
    await master.waitForEvents((all) => all.filter((e) => e.event === 'start').length === 2);
    const client = await master.client();
    expect((await client.request('signal', ['FOO']))[0]?.message).toBe('Invalid signal: "FOO"');
    expect((await client.request('signal', ['sigusr1']))[0]?.message).toBe('');
    const events = await master.waitForEvents((all) =>
      children(state).every((c) => signalsOf(all, c.pid).includes('SIGUSR1')),
    );
    for (const child of children(state)) expect(signalsOf(events, child.pid)).toEqual(['SIGUSR1']);
    expect(children(await master.state()).map((c) => c.signaled)).toEqual([[], []]);
    expect((await client.request('signal', ['WINCH', 'sigwinch']))[0]?.message).toBe('\n');
  });

  it('check 45: die replies "Einhorn is going down! ", USR2s all, respawns none, exits 0 and removes socket and pidfile', async () => {
    const master = await startMaster({ options: ['-n', '2', '-m', '0'] });
    const state = await master.waitForState((s) => children(s).filter((c) => c.acked).length === 2);
    await master.waitForEvents((all) => all.filter((e) => e.event === 'start').length === 2);
    const replies = await master.request('die');
    expect(replies[0]?.message).toBe('Einhorn is going down! ');
    expect(await master.exited).toEqual({ code: 0, signal: null });
    const events = master.events();
    for (const child of children(state)) expect(signalsOf(events, child.pid)).toEqual(['SIGUSR2']);
    expect(events.filter((e) => e.event === 'start')).toHaveLength(2);
    expect(existsSync(master.socketPath)).toBe(false);
    expect(existsSync(join(master.dir, 'einhorn.pid'))).toBe(false);
  });
});

describe('information commands', () => {
  it("ehlo, help, quieter and louder reply einhorn's texts (check 20: escaped block YAML works)", async () => {
    const master = await startMaster({ options: ['-n', '1', '-m', '0'] });
    const client = await master.client();
    const [welcome] = await client.requestMessage({ command: 'ehlo', user: 'alice' });
    expect(welcome?.message).toMatch(
      new RegExp(
        `^Welcome, alice! You are speaking to Einhorn Master Process ${master.pid}\\.\\nThis is einhorn-node \\d+\\.\\d+\\.\\d+\\.\\n$`,
      ),
    );
    expect((await client.request('help'))[0]?.message).toBe(helpMessage());
    expect((await client.request('louder'))[0]?.message).toBe('Verbosity set to 0');
    expect((await client.request('louder'))[0]?.message).toBe('Verbosity set to 0');
    expect((await client.request('quieter'))[0]?.message).toBe('Verbosity set to 1');
    const session = await rawSession(master.socketPath);
    session.write('---%0Acommand: quieter%0Aid: 5%0A\n');
    await master.waitForLog(/Launched/);
    const line = unescapeLine((await session.line()).trimEnd());
    expect(decodeMessage(line)).toEqual({ message: 'Verbosity set to 2', request_id: 5 });
    session.destroy();
  });

  it('check 6 / state: JSON a program can read, with per-worker and master fields', async () => {
    const master = await startMaster({
      options: ['-b', '127.0.0.1:0', '-n', '2', '-m', 'manual'],
      env: { FIXTURE_ACK: 'manual' },
    });
    const state = await master.waitForState((s) => children(s).filter((c) => c.acked).length === 2);
    expect(state).toMatchObject({
      master_pid: master.pid,
      version: 0,
      generation: 0,
      upgrading: false,
      respawn: true,
      config: { number: 2 },
    });
    expect(state.bound_ports[0]).toBeGreaterThan(0);
    for (const child of children(state)) {
      expect(child).toMatchObject({
        version: 0,
        acked: true,
        signaled: [],
        pinged_at: null,
        pinged_request_id: null,
      });
      expect(Number.isNaN(Date.parse(child.spinup_time))).toBe(false);
    }
    expect(
      children(state)
        .map((c) => c.index)
        .sort(),
    ).toEqual([0, 1]);
  });

  it('P18: config accepts only known keys, validated, and applies them', async () => {
    const master = await startMaster({ options: ['-n', '1', '-m', '0'] });
    const client = await master.client();
    const ask = async (args: string[]) => (await client.request('config', args))[0]?.message;
    expect(await ask([])).toBe('Must pass in a YAML-encoded hash');
    expect(await ask(['[1, 2]'])).toBe('Parsed argument is a Array, not a hash');
    expect(await ask(['{children: {}}'])).toMatch(
      /^Refusing config: unknown key "children"; only number, seconds/,
    );
    expect(await ask(['{number: 0}'])).toMatch(/^Refusing config: "number" is invalid/);
    expect(await ask(['{seconds:', 'abc}'])).toMatch(/^Refusing config: "seconds" is invalid/);
    expect(await ask([':number: 2'])).toBe('Successfully merged in config: {"number":2}');
    const state = await master.waitForState((s) => children(s).length === 2);
    expect(state.config.number).toBe(2);
  });
});
