import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { backlogFromState, readMasterBacklog } from './master-backlog.ts';

const dir = mkdtempSync(join(tmpdir(), 'einhorn-backlog-'));
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

// The reply einhorn 1.1.1 wrote for `state` (escaped YAML whose message is itself YAML),
// shortened to the parts around `config`.
const RUBY_STATE_REPLY =
  '---%0Amessage: |%0A  ---%0A  :state:%0A    :children:%0A      19782:%0A        :type: :worker%0A' +
  '        :index: 0%0A    :config:%0A      :number: 2%0A      :backlog: 37%0A      :seconds: 1%0A' +
  '    :version: 0%0Arequest_id: 1%0A';

/** A live process whose /proc/<pid>/cmdline is `argv0 …args`. */
async function processWithArgv(argv0: string, args: readonly string[]): Promise<number> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30)', ...args], {
    argv0,
    stdio: 'ignore',
  });
  cleanups.push(() => child.kill());
  await once(child, 'spawn');
  return child.pid ?? 0;
}

/** A command socket that answers every line with `reply` (and records the requests). */
async function commandSocket(
  reply: string | undefined,
): Promise<{ path: string; lines: string[] }> {
  const path = join(dir, `cmd-${cleanups.length}.sock`);
  const lines: string[] = [];
  const server: Server = createServer((socket) => {
    socket.setEncoding('utf8').on('data', (chunk: string) => {
      lines.push(chunk);
      if (reply === undefined) socket.destroy();
      else socket.write(`${reply}\n`);
    });
  });
  server.listen(path);
  await once(server, 'listening');
  cleanups.push(() => server.close());
  return { path, lines };
}

describe('backlogFromState', () => {
  it("reads Psych's :backlog: line and einhorn-node's JSON field", () => {
    expect(backlogFromState('  :config:\n    :number: 2\n    :backlog: 7\n')).toBe(7);
    expect(backlogFromState('{"config":{"number":2,"backlog":64}}')).toBe(64);
    expect(backlogFromState('{"config":{"number":2}}')).toBeUndefined();
  });
});

describe.runIf(process.platform === 'linux')('readMasterBacklog (check 33)', () => {
  it("reads einhorn-node's -l from its command line, without asking the master anything", async () => {
    const pid = await processWithArgv(process.execPath, [
      '/opt/einhorn-node',
      '-l',
      '21',
      '--',
      'x',
    ]);
    const socket = await commandSocket('unused');
    expect(await readMasterBacklog(pid, socket.path)).toEqual({
      backlog: 21,
      source: 'command-line',
    });
    expect(socket.lines).toEqual([]);
  });

  it("asks the Ruby einhorn's state when its title was rewritten to `einhorn: <program>`", async () => {
    const pid = await processWithArgv('einhorn: /usr/bin/node /srv/app/server.js', []);
    const socket = await commandSocket(RUBY_STATE_REPLY);
    expect(await readMasterBacklog(pid, socket.path)).toEqual({ backlog: 37, source: 'state' });
    expect(socket.lines).toEqual(['{"command":"state","id":1}\n']);
  });

  it("falls back to einhorn's default of 100 when the state cannot be read", async () => {
    const pid = await processWithArgv('einhorn: /usr/bin/node /srv/app/server.js', []);
    const socket = await commandSocket(undefined);
    expect(await readMasterBacklog(pid, socket.path)).toEqual({ backlog: 100, source: 'state' });
    expect(await readMasterBacklog(pid, join(dir, 'missing.sock'))).toEqual({
      backlog: 100,
      source: 'state',
    });
  });

  it('knows nothing of a master that is not einhorn, or of a pid that is gone', async () => {
    const pid = await processWithArgv(process.execPath, ['/srv/supervisor.js', '-l', '7']);
    expect(await readMasterBacklog(pid, undefined)).toEqual({
      backlog: undefined,
      source: 'unknown',
    });
    expect(await readMasterBacklog(2 ** 22 + 17, undefined)).toEqual({
      backlog: undefined,
      source: 'unknown',
    });
  });
});
