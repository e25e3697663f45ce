// `state` as einhorn 1.1.1 writes it (the protocol reference, "The state reply" / PROTOCOL
// Appendix A): Ruby's Psych, loading with einhorn's own permitted classes, reads einhorn-node's
// reply into the same shape as einhorn's, with the same class for every value.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, REPO, rawSession, startMaster } from './helpers.ts';
import type { MasterHandle } from './helpers.ts';

const TYPE_TREE = join(REPO, 'test/fixtures/state/type-tree.rb');
const APPENDIX_A = join(REPO, 'test/fixtures/state/einhorn-1.1.1-appendix-a.yaml');
let scratch = '';

beforeAll(() => {
  if (spawnSync('ruby', ['-e', 'require "psych"; require "set"']).status !== 0)
    throw new Error('these checks load `state` with Ruby Psych; install ruby (CI does)');
  scratch = mkdtempSync(join(tmpdir(), 'einhorn-state-yaml-'));
});
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});
afterEach(cleanup);

/** The type-tree lines of a YAML document, as einhorn's client loads it. */
function typeTree(file: string): string[] {
  const result = spawnSync('ruby', [TYPE_TREE, file], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`Psych could not load ${file}: ${result.stderr}`);
  return result.stdout.trimEnd().split('\n');
}

let counter = 0;
/** The default (YAML) `state` reply of `master`, as its type tree. */
async function yamlTypeTree(master: MasterHandle): Promise<{ lines: string[]; text: string }> {
  const replies = await master.request('state');
  const text = replies.at(-1)?.message ?? '';
  const file = join(scratch, `state-${++counter}.yaml`);
  writeFileSync(file, text);
  return { lines: typeTree(file), text };
}

const appendix = (): string[] => typeTree(APPENDIX_A);
/** einhorn's top-level `state` keys, from Appendix A. */
const einhornKeys = (): Set<string> =>
  new Set(appendix().flatMap((line) => /^\[:state\]\[(:\w+)\]/.exec(line)?.[1] ?? []));

/** Our lines restricted to einhorn's fields (the rest are einhorn-node's extra keys). */
function einhornPart(lines: readonly string[]): string[] {
  const keys = einhornKeys();
  return lines.filter((line) => {
    const key = /^\[:state\]\[(:\w+)\]/.exec(line)?.[1];
    return key === undefined ? !line.startsWith('[:state][') : keys.has(key);
  });
}

const expected = (...extra: string[]): string[] => [...new Set([...appendix(), ...extra])].sort();

const workerEnv = { FIXTURE_ACK: 'manual' };

describe('state reply read by Psych with einhorn permitted classes (Appendix A)', () => {
  it('two ACKed workers in manual mode: every einhorn field with einhorn class; last_spinup aliases the last spinup_time', async () => {
    const master = await startMaster({
      options: ['-b', '127.0.0.1:0', '-m', 'manual', '-n', '2'],
      env: workerEnv,
    });
    await master.waitForState((s) => Object.values(s.children).filter((c) => c.acked).length === 2);
    const { lines, text } = await yamlTypeTree(master);
    expect(text.startsWith('---\n:state:\n  :children:\n')).toBe(true);
    expect(einhornPart(lines)).toEqual(expected());
    expect(lines).toContain('alias last_spinup'); // Appendix A has it too: one Time object, &1/*1
    expect(lines).toEqual(
      expect.arrayContaining([
        '[:state][:master_pid] Integer',
        '[:state][:circuit_breaker][:tripped] Boolean',
        '[:state][:circuit_breaker][:since] NilClass',
      ]),
    );
    // Control: the type tree does tell classes apart (einhorn-node's JSON is no match).
    const json = (
      await (await master.client()).requestMessage({ command: 'state', id: 1, format: 'json' })
    )[0]!.message;
    const jsonFile = join(scratch, 'state-json.yaml');
    writeFileSync(jsonFile, json);
    expect(einhornPart(typeTree(jsonFile))).not.toEqual(expected());
  });

  it('check 27, check 6: timer mode, a ,r bind flag and a ping add exactly the classes einhorn has for them', async () => {
    const master = await startMaster({
      options: ['-b', '127.0.0.1:0,r', '-m', '0.2', '-n', '1'],
    });
    const state = await master.waitForState((s) => Object.values(s.children).some((c) => c.acked));
    const pid = Object.values(state.children)[0]!.pid;
    const session = await rawSession(master.socketPath);
    session.write(`{"command":"worker:ping","pid":${pid},"request_id":"req-7"}\n`);
    expect(await session.closed).toBe('');
    const { lines, text } = await yamlTypeTree(master);
    expect(einhornPart(lines)).toEqual(
      expected(
        '[:state][:ack_mode][:timeout] Float',
        '[:state][:bind][][][] String',
        '[:state][:children][<Integer>][:pinged_at] Time',
        '[:state][:children][<Integer>][:pinged_request_id] String',
      ),
    );
    expect(text).toContain(`\n  :bound_ports:\n  - ${state.bound_ports[0]}\n`);
    expect(text).toContain('\n  :ack_mode:\n    :type: :timer\n    :timeout: 0.2\n');
    expect(text).toContain('      :pinged_request_id: req-7\n');
  });

  it('mid-upgrade, then after the old worker is signalled: version/acked of the new worker, the Set of signals, last_signaled_at', async () => {
    const master = await startMaster({
      options: ['-b', '127.0.0.1:0', '-m', 'manual', '-n', '1'],
      env: { ...workerEnv, FIXTURE_ON_USR2: 'ignore', FIXTURE_NO_ACK_IF: 'hold' },
    });
    const first = await master.waitForState((s) => Object.values(s.children).some((c) => c.acked));
    const old = Object.values(first.children)[0]!.pid;
    writeFileSync(join(master.dir, 'hold'), '');
    const upgrade = await rawSession(master.socketPath);
    upgrade.write('{"command":"upgrade","id":1}\n');
    const mid = await master.waitForState((s) => Object.keys(s.children).length === 2);
    const fresh = Object.values(mid.children).find((c) => c.pid !== old)!;
    expect(fresh).toMatchObject({ version: 1, acked: false });
    const during = await yamlTypeTree(master);
    expect(einhornPart(during.lines)).toEqual(expected());
    expect(during.text).toContain('\n  :upgrading: true\n  :smooth_upgrade: true\n');
    rmSync(join(master.dir, 'hold'));
    const ack = await rawSession(master.socketPath);
    ack.write(`{"command":"worker:ack","pid":${fresh.pid}}\n`);
    await master.waitForState(
      (s) => !s.upgrading && (s.children[String(old)]?.signaled.length ?? 0) > 0,
    );
    const after = await yamlTypeTree(master);
    expect(einhornPart(after.lines)).toEqual(
      expected(
        '[:state][:children][<Integer>][:last_signaled_at] Time',
        '[:state][:children][<Integer>][:signaled]{} String',
        '[:state][:last_upgraded] Time',
      ).filter((line) => line !== '[:state][:last_upgraded] NilClass'),
    );
    expect(after.text).toMatch(/:signaled: !ruby\/object:Set\n {8}hash:\n {10}USR2: true\n/);
    upgrade.destroy();
  });
});
