// einhorn 1.1.1's own integration scenarios (its startup, upgrading and pdeathsig integration
// tests), ported one for one with einhorn-node as the master and fixtures written in Node
// (test/fixtures/einhorn-scenarios). Each `it` names the einhorn scenario it ports. To run
// einhorn's Ruby originals against einhorn-node locally: scripts/einhorn-scenarios/run.sh.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  CLI,
  cleanup,
  isAlive,
  NODE,
  REPO,
  runCli,
  startedPids,
  startMaster,
  tempDir,
  WAIT,
} from './helpers.ts';
import type { MasterHandle, StartOptions } from './helpers.ts';

afterEach(cleanup);

const FIXTURES = join(REPO, 'test/fixtures/einhorn-scenarios');
const fixture = (name: string): string => join(FIXTURES, name);
const HAS_SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].some((path) => existsSync(path));

/** Direct children of `pid` (Linux /proc/PID/task/TID/children). */
function childPids(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`).flatMap((tid) =>
    readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8')
      .split(' ')
      .filter((word) => word !== '')
      .map(Number),
  );
}

/** einhorn's `read_from_port`: connect, read to EOF, chomp. */
function readFromPort(port: number): Promise<string> {
  return new Promise((done, fail) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (data += chunk));
    socket.once('error', fail);
    socket.once('end', () => {
      done(data.replace(/\r?\n$/, ''));
    });
  });
}

interface Running {
  readonly master: MasterHandle;
  readonly port: number;
}

/** einhorn's `with_running_einhorn` + `wait_for_open_port`: the first worker ACKed. */
async function withRunningEinhorn(options: StartOptions): Promise<Running> {
  const master = await startMaster({ ...options, launched: 1 });
  const state = await master.waitForState((s) => Object.values(s.children).some((c) => c.acked));
  const port = state.bound_ports[0];
  if (port === undefined) throw new Error('no bound port');
  return { master, port };
}

/** einhornsh -d SOCKET -e upgrade: returns the last reply (the one without `wait`). */
async function einhornshUpgrade(master: MasterHandle): Promise<string> {
  const replies = await master.request('upgrade');
  return replies.at(-1)?.message ?? '';
}

/** The re-exec command line einhorn's tests use, with einhorn-node in place of einhorn. */
const reexecAs = (prefix: string): string => `--reexec-as=${prefix} ${NODE} ${CLI}`;

describe('einhorn scenarios: startup.rb', () => {
  it('when invoked without args, prints usage and exits with 1', async () => {
    const result = await runCli([]);
    expect(result.stdout).toMatch(/^## Usage/);
    expect(result.code).toBe(1);
  });

  it('when invoked with --upgrade-check, successfully exits', async () => {
    const result = await runCli(['--upgrade-check']);
    expect(result.code).toBe(0);
  });
});

describe('einhorn scenarios: upgrading.rb', () => {
  it('when upgrading a running einhorn without preloading: can restart', async () => {
    const dir = tempDir();
    const version = join(dir, 'version');
    writeFileSync(version, '0');
    const { master, port } = await withRunningEinhorn({
      options: ['-m', 'manual', '-b', '127.0.0.1:0'],
      worker: [NODE, fixture('upgrading-server.mjs'), version],
    });
    expect(await readFromPort(port), 'Should report the initial version').toBe('0');
    // einhorn's log line for a manual ACK.
    const [first] = Object.keys((await master.state()).children);
    expect(master.stderr()).toContain(`INFO: Received a manual ACK from ${first ?? '?'}\n`);
    writeFileSync(version, '1');
    expect(await einhornshUpgrade(master)).toBe('Upgrade done');
    expect(await readFromPort(port), 'Should report the upgraded version').toBe('1');
  });

  describe('handling environments on upgrade, when running with --reexec-as', () => {
    it('preserves environment variables across restarts', async () => {
      const { master, port } = await withRunningEinhorn({
        options: ['-m', 'manual', '-b', '127.0.0.1:0', reexecAs('env VAR=a')],
        worker: [NODE, fixture('env-printer.mjs'), 'VAR'],
        env: { VAR: 'a' },
      });
      expect(await einhornshUpgrade(master)).toBe('Upgrade done');
      expect(await readFromPort(port), 'Should report the upgraded version').toBe('a');
    });

    it('cleans up if a child dies during the reexec', async () => {
      const dir = tempDir();
      const pidFile = join(dir, 'old-worker.pid');
      const exitWhen = join(dir, 'upgrade-check-started');
      const { master, port } = await withRunningEinhorn({
        options: [
          '-m',
          'manual',
          '-b',
          '127.0.0.1:0',
          `--reexec-as=${fixture('upgrade-reexec.sh')}`,
        ],
        worker: [NODE, fixture('exiting-server.mjs')],
        env: {
          EINHORN_NODE_EXEC: NODE,
          EINHORN_NODE_BIN: CLI,
          WAIT_FOR_EXIT: pidFile,
          EXIT_WHEN: exitWhen,
        },
      });
      const oldPid = Number(await readFromPort(port));
      writeFileSync(pidFile, String(oldPid));
      process.kill(oldPid, 'SIGUSR2');
      expect(await einhornshUpgrade(master)).toBe('Upgrade done');
      // Causality: the old worker died while the upgrade check ran, and nothing was respawned
      // at the old version meanwhile (einhorn spawns nothing while it re-execs).
      expect(master.stderr()).toMatch(new RegExp(`===> Exited worker ${oldPid}\\b`));
      // The new worker pings on its own connection after its ACK: "Upgrade done" can come first.
      const child = await vi.waitFor(async () => {
        const children = Object.values((await master.state()).children);
        expect(children).toHaveLength(1);
        expect(children[0]?.pinged_request_id).toBe('id-1');
        return children[0]!;
      }, WAIT);
      expect(child.version).toBe(1);
      expect(Math.abs(Date.parse(child.pinged_at ?? '') - Date.now())).toBeLessThan(60_000);
    });

    it('without preloading: can update environment variables when the reexec command line says to', async () => {
      const { master, port } = await withRunningEinhorn({
        options: ['-m', 'manual', '-b', '127.0.0.1:0', reexecAs('env VAR=b OINK=b')],
        worker: [NODE, fixture('env-printer.mjs'), 'VAR'],
        env: { VAR: 'a' },
      });
      expect(await readFromPort(port)).toBe('a');
      expect(await einhornshUpgrade(master)).toBe('Upgrade done');
      expect(await readFromPort(port), 'Should report the upgraded version').toBe('b');
    });

    it("with preloading (-p is accepted, workers are exec'd): can update environment variables when the reexec command line says to", async () => {
      const server = fixture('env-printer.mjs');
      const { master, port } = await withRunningEinhorn({
        options: ['-m', 'manual', '-p', server, '-b', '127.0.0.1:0', reexecAs('env VAR=b OINK=b')],
        worker: [NODE, server, 'VAR'],
        env: { VAR: 'a' },
      });
      expect(master.stderr()).toMatch(/Ignoring -p .*: preloading is a Ruby einhorn feature/);
      expect(await einhornshUpgrade(master)).toBe('Upgrade done');
      expect(await readFromPort(port), 'Should report the upgraded version').toBe('b');
    });
  });

  describe('when invoked with --drop-env-var', () => {
    it("removes the variable from its children's environment", async () => {
      const { master, port } = await withRunningEinhorn({
        options: ['-m', 'manual', '-b', '127.0.0.1:0', '--drop-env-var=VAR'],
        worker: [NODE, fixture('env-printer.mjs'), 'VAR'],
        env: { VAR: 'a' },
      });
      expect(await readFromPort(port), 'Should report $VAR initially').toBe('a');
      expect(await einhornshUpgrade(master)).toBe('Upgrade done');
      expect(await readFromPort(port), 'Should have dropped the variable post-upgrade').toBe('');
    });

    it('causes an upgrade with --reexec-as to not clobber the new environment', async () => {
      const { master, port } = await withRunningEinhorn({
        options: [
          '-m',
          'manual',
          '-b',
          '127.0.0.1:0',
          '--drop-env-var=VAR1',
          '--drop-env-var=VAR2',
          reexecAs('env VAR2=b'),
        ],
        worker: [NODE, fixture('env-printer.mjs'), 'VAR1', 'VAR2'],
        env: { VAR1: 'a', VAR2: 'a' },
      });
      expect(await readFromPort(port), 'Should report both $VAR1 and $VAR2 initially').toBe('aa');
      expect(await einhornshUpgrade(master)).toBe('Upgrade done');
      expect(
        await readFromPort(port),
        'Should have dropped $VAR1 post-upgrade and re-set $VAR2',
      ).toBe('b');
    });
  });

  describe('with --signal-timeout', () => {
    it('issues a SIGKILL to outdated children when signal-timeout has passed', async () => {
      // The fixture would take far longer than the timeout to exit on its own.
      const { master } = await withRunningEinhorn({
        options: ['-b', '127.0.0.1:0', '--signal-timeout', '2'],
        worker: [NODE, fixture('sleepy-server.mjs')],
        env: { TRAP_SLEEP: '600' },
      });
      expect(await einhornshUpgrade(master)).toBe('Upgrade done');
      let state = await master.state();
      expect(Object.values(state.children)).toHaveLength(2);
      const signaled = Object.values(state.children).filter((c) => c.signaled.length > 0);
      expect(signaled).toHaveLength(1);
      const old = signaled[0]!.pid;
      state = await master.waitForState((s) => Object.keys(s.children).length === 1);
      expect(Object.values(state.children).filter((c) => c.signaled.length > 0)).toHaveLength(0);
      expect(master.stderr()).toMatch(
        new RegExp(`Child ${old} is still active 2s after USR2\\. Sending SIGKILL\\.`),
      );
    });
  });
});

describe('einhorn scenarios: pdeathsig.rb', () => {
  it.skipIf(!HAS_SETPRIV)(
    'when run with -k, sets pdeathsig to USR2 in the child process',
    async () => {
      // The worker program reports its own parent-death signal: `setpriv --dump` run as the worker
      // (exec'd in the worker's process, so what it prints is the worker's own setting).
      const master = await startMaster({
        options: ['-m', 'manual', '-k', '-s', '60'],
        worker: [resolve('/usr/bin/setpriv'), '--dump'],
      });
      await vi.waitFor(() => {
        expect(master.stdout()).toMatch(/Parent death signal: USR2/);
      }, WAIT);
    },
  );

  it.skipIf(!HAS_SETPRIV)('control: without -k the worker has no parent-death signal', async () => {
    const master = await startMaster({
      options: ['-m', 'manual', '-s', '60'],
      worker: [resolve('/usr/bin/setpriv'), '--dump'],
    });
    await vi.waitFor(() => {
      expect(master.stdout()).toMatch(/Parent death signal: \[none\]/);
    }, WAIT);
  });
});

describe('beyond the scenarios: the upgrade check as einhorn-node does it', () => {
  it("check 56: a failing upgrade check aborts the upgrade, logs einhorn's line and tells the client", async () => {
    const { master, port } = await withRunningEinhorn({
      options: ['-m', 'manual', '-b', '127.0.0.1:0', '--reexec-as=false'],
      worker: [NODE, fixture('env-printer.mjs'), 'VAR'],
      env: { VAR: 'a' },
    });
    const before = await master.state();
    const reply = await einhornshUpgrade(master);
    expect(reply).toMatch(/^Upgrade aborted: false --upgrade-check -- .* exited with status 1\./);
    expect(master.stderr()).toContain('Can not initiate einhorn master reload safely, aborting');
    const after = await master.state();
    expect(after.version).toBe(before.version);
    expect(after.upgrading).toBe(false);
    expect(Object.keys(after.children)).toEqual(Object.keys(before.children));
    expect(Object.values(after.children).every((c) => c.signaled.length === 0)).toBe(true);
    expect(await readFromPort(port)).toBe('a');
  });

  it('learns the environment through `sh -c` wrappers too (the re-exec command execs einhorn-node)', async () => {
    const { master, port } = await withRunningEinhorn({
      options: [
        '-m',
        'manual',
        '-b',
        '127.0.0.1:0',
        `--reexec-as=sh -c 'VAR=c exec "$0" "$@"' ${NODE} ${CLI}`,
      ],
      worker: [
        NODE,
        fixture('env-printer.mjs'),
        'VAR',
        'EINHORN_USER_NOTE',
        'EINHORN_NODE_UPGRADE_CHECK_FD',
      ],
      env: { VAR: 'a', EINHORN_USER_NOTE: '+note' },
    });
    expect(await readFromPort(port)).toBe('a+note');
    expect(await einhornshUpgrade(master)).toBe('Upgrade done');
    // VAR from the wrapper, the user's EINHORN_* variable kept, the check's own variable not leaked.
    expect(await readFromPort(port)).toBe('c+note');
  });
});

describe('beyond the scenarios: -k through the kernel', () => {
  it.skipIf(!HAS_SETPRIV)(
    'check 50: with -k, a worker gets USR2 from the kernel when the master is SIGKILLed, even with the reaper gone too',
    async () => {
      const master = await startMaster({ options: ['-k', '-n', '1', '-m', '0'], launched: 1 });
      const [start] = await master.waitForEvents((events) => startedPids(events).length === 1);
      const worker = start!.pid;
      // The reaper is the master's other child (node -e <source>); without it only the kernel's
      // parent-death signal can tell the worker.
      const reaper = childPids(master.pid).find((pid) => pid !== worker);
      expect(reaper).toBeDefined();
      process.kill(reaper!, 'SIGKILL');
      await vi.waitFor(() => {
        expect(isAlive(reaper!)).toBe(false);
      }, WAIT);
      process.kill(master.pid, 'SIGKILL');
      const events = await master.waitForEvents((all) =>
        all.some((e) => e.event === 'signal' && e.pid === worker && e['signal'] === 'SIGUSR2'),
      );
      expect(events.find((e) => e.event === 'signal')?.['signal']).toBe('SIGUSR2');
    },
  );
});
