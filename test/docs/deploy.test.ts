// The deployment recipes run for real against the built einhorn-node: the systemd unit's
// ExecStart, ExecReload and stop signal, the Kubernetes readiness and liveness probes, the
// Dockerfile's HEALTHCHECK, and the guides' deploy-upgrade and master-api scripts. Host paths
// (/run/myapp, /srv/myapp, /app) are swapped for temporary ones; everything else is the files' text.
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { baseEnv, killAllFixtures, spawnFixture, testNode } from '../helpers/spawn-fixture.ts';
import type { FixtureProcess } from '../helpers/spawn-fixture.ts';
import { compileExamples } from './support/compile.ts';
import type { CompiledExamples } from './support/compile.ts';
import {
  deployFile,
  dockerHealthcheck,
  kubernetesContainer,
  splitWords,
  substitute,
  unitDirective,
} from './support/deploy-files.ts';
import { getBody, load, run, stateOf } from './support/processes.ts';
import { startSocketHolder } from './support/socket-holder.ts';
import { DOC_EXAMPLES, MASTER_CLI, SHELL_BIN } from './support/repo.ts';

const READY = (workers: number): RegExp => new RegExp(`Up to ${workers} / ${workers} manual ACKs`);

/** Stops a master the way systemd and Docker do here (SIGINT): workers drain, then it exits 0. */
async function stop(master: FixtureProcess): Promise<void> {
  master.signal('SIGINT');
  expect(await master.exited).toEqual({ code: 0, signal: null });
}

let compiled: CompiledExamples;
let dir: string;
let worker: string;

/**
 * Starts einhorn-node with its files in the temp dir, `name` as the file stem, and `-k`: even
 * when a test fails and afterEach SIGKILLs the master, its watchdog drains the workers.
 */
function startMaster(
  name: string,
  options: readonly string[],
  command: readonly string[],
  readyLine: RegExp,
): Promise<FixtureProcess> {
  const files = [
    '-d',
    join(dir, `${name}.sock`),
    '-e',
    join(dir, `${name}.pid`),
    '-f',
    join(dir, `${name}.lock`),
  ];
  return spawnFixture(MASTER_CLI, {
    args: [...files, '-k', ...options, '--', ...command],
    readyLine,
  });
}

beforeAll(() => {
  compiled = compileExamples();
  dir = mkdtempSync(join(tmpdir(), 'einhorn-docs-deploy-'));
  // Inside the repository (docs/examples/dist/…), where @einhorn/* resolves as in an app.
  worker = join(compiled.dir, 'server.mjs');
  copyFileSync(join(DOC_EXAMPLES, 'getting-started-worker.ts'), worker);
});
afterAll(() => {
  compiled.remove();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await killAllFixtures();
});

describe('docs/deploy/einhorn-node.service, run by hand', () => {
  const unit = deployFile('einhorn-node.service');
  const run_ = (name: string): string => join(dir, name);
  const paths = (): Record<string, string> => ({
    '/srv/myapp/current/node_modules/@einhorn/master/dist/cli.cjs': MASTER_CLI,
    '/srv/myapp/current/node_modules/.bin/einhornsh-node': SHELL_BIN,
    '/srv/myapp/current/dist/server.js': worker,
    '/run/myapp/': `${dir}/`,
    '/usr/bin/node': testNode,
    '0.0.0.0:8080': '127.0.0.1:0',
  });

  it('starts, answers the probes, reloads under load without a failed request, and stops on SIGINT', async () => {
    const words = splitWords(substitute(unitDirective(unit, 'ExecStart'), paths()));
    expect(words.slice(0, 2)).toEqual([testNode, MASTER_CLI]);
    const workers = Number(words[words.indexOf('-n') + 1]);
    const master: FixtureProcess = await spawnFixture(MASTER_CLI, {
      args: words.slice(2),
      readyLine: READY(workers),
    });
    const socket = run_('einhorn.sock');
    const [port = 0] = (await stateOf(socket)).bound_ports;
    expect(port).toBeGreaterThan(0);

    // Kubernetes readiness and liveness, and the Docker HEALTHCHECK, against this master.
    const container = kubernetesContainer();
    const probePaths = {
      '/app/node_modules/.bin/einhornsh-node': SHELL_BIN,
      '/run/app/einhorn.sock': socket,
    };
    const [shell = '', flag = '', script = ''] = container.readiness;
    expect([shell, flag]).toEqual(['/bin/sh', '-c']);
    expect(await run(shell, [flag, substitute(script, probePaths)])).toMatchObject({ code: 0 });
    const [liveness = '', ...livenessArgs] = container.liveness.map((word) =>
      substitute(word, probePaths),
    );
    expect(await run(liveness, livenessArgs)).toMatchObject({ code: 0 });
    const healthcheck = substitute(dockerHealthcheck(deployFile('Dockerfile')), probePaths);
    expect(await run('/bin/sh', ['-c', healthcheck])).toMatchObject({ code: 0 });

    // systemctl reload = ExecReload, while clients keep requesting.
    const reload = /^\/bin\/sh -c '(.*)'$/.exec(unitDirective(unit, 'ExecReload'))?.[1];
    expect(reload).toBeDefined();
    const traffic = load(port, 4);
    const reloaded = await run('/bin/sh', ['-c', substitute(reload ?? '', paths())]);
    const { ok, failures } = await traffic.stop();
    expect(reloaded.code, reloaded.stdout + reloaded.stderr).toBe(0);
    expect(reloaded.stdout).toMatch(/Upgrade done\n$/);
    expect(failures).toEqual([]);
    expect(ok).toBeGreaterThan(0);
    expect((await stateOf(socket)).version).toBe(1);

    // The guide's deploy script, with a fleet upgrade this time.
    const deployed = await run(testNode, [compiled.js('deploy-upgrade'), socket, 'fleet']);
    expect(deployed.code, deployed.stderr).toBe(0);
    expect(deployed.stdout).toMatch(/^Upgrading fleet, as commanded\n[\s\S]*Upgrade done\n$/);

    // systemctl stop = KillSignal=SIGINT to the master only.
    expect(unitDirective(unit, 'KillSignal')).toBe('SIGINT');
    await stop(master);
    expect(existsSync(socket)).toBe(false);
  });
});

describe('docs/deploy/einhorn-node.socket: socket activation, run by hand', () => {
  it('a restart of the master under load refuses no connection and fails no request (the socket stays with "systemd")', async () => {
    const socketUnit = deployFile('einhorn-node.socket');
    const unit = deployFile('einhorn-node.service');
    const listen = unitDirective(socketUnit, 'ListenStream');
    expect(listen).toBe('0.0.0.0:8080');
    const name = unitDirective(socketUnit, 'FileDescriptorName');
    const paths = {
      '/srv/myapp/current/node_modules/@einhorn/master/dist/cli.cjs': MASTER_CLI,
      '/srv/myapp/current/dist/server.js': worker,
      '/run/myapp/': `${dir}/activated-`,
      '/usr/bin/node': testNode,
    };
    const words = splitWords(substitute(unitDirective(unit, 'ExecStart'), paths));
    expect(words.slice(0, 2)).toEqual([testNode, MASTER_CLI]);
    expect(words).toContain(listen);
    // The ListenStream= address, on a free port here; the -b stays the unit's (port 8080), so
    // it is rewritten to the same port as the socket (einhorn-node checks that they match).
    const holder = await startSocketHolder(name, unitDirective(unit, 'KillSignal'), (port) =>
      words.map((word) => (word === listen ? `127.0.0.1:${port}` : word)),
    );
    const workers = Number(words[words.indexOf('-n') + 1]);
    const first = await holder.started(READY(workers));
    expect(first.output).toMatch(/Adopted 1 listening sockets from systemd \(http\)/);
    expect(await getBody(holder.port)).toMatch(/^Hello from worker \d+\n$/);

    const traffic = load(holder.port, 4);
    holder.send({ type: 'restart' });
    const second = await holder.started(READY(workers));
    expect(second.pid).not.toBe(first.pid);
    expect(await getBody(holder.port)).toMatch(/^Hello from worker \d+\n$/);
    const { ok, failures } = await traffic.stop();
    // ECONNREFUSED would show here: there is none, and no request failed.
    expect(failures).toEqual([]);
    expect(ok).toBeGreaterThan(0);
    await holder.stop();
  });

  it('control: without the held socket, the same restart refuses connections', async () => {
    const master = await startMaster(
      'bound',
      ['-b', '127.0.0.1:0', '-m', 'manual', '-n', '1'],
      [testNode, worker],
      READY(1),
    );
    const [port = 0] = (await stateOf(join(dir, 'bound.sock'))).bound_ports;
    await stop(master);
    await expect(getBody(port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});

describe('failure paths the guides promise', () => {
  const probePaths = (socket: string): Record<string, string> => ({
    '/app/node_modules/.bin/einhornsh-node': SHELL_BIN,
    '/run/app/einhorn.sock': socket,
  });

  it('probes fail while no worker has ACKed', async () => {
    const master = await startMaster(
      'unacked',
      ['-m', 'manual', '-n', '1'],
      [testNode, '-e', 'setInterval(() => {}, 1 << 30)'],
      /===> Launched \d+/,
    );
    const socket = join(dir, 'unacked.sock');
    const [, flag = '', script = ''] = kubernetesContainer().readiness;
    expect((await run('/bin/sh', [flag, substitute(script, probePaths(socket))])).code).not.toBe(0);
    const healthcheck = substitute(dockerHealthcheck(deployFile('Dockerfile')), probePaths(socket));
    expect((await run('/bin/sh', ['-c', healthcheck])).code).not.toBe(0);
    await stop(master);
  });

  it('a reload and the deploy script fail when the new code cannot start; the old workers keep serving', async () => {
    const crashing = join(compiled.dir, 'crashing.mjs');
    copyFileSync(join(DOC_EXAMPLES, 'getting-started-worker.ts'), crashing);
    // Fast backoff and an early circuit breaker, so that the failure arrives quickly.
    const master = await startMaster(
      'crash',
      ['-b', '127.0.0.1:0', '-m', 'manual', '-n', '1', '-s', '0.05', '--max-failed-starts', '2'],
      [testNode, crashing],
      READY(1),
    );
    const socket = join(dir, 'crash.sock');
    writeFileSync(crashing, 'process.exit(2);\n');
    const deployed = await run(testNode, [compiled.js('deploy-upgrade'), socket]);
    expect(deployed.code).toBe(1);
    expect(deployed.stdout).toMatch(/\nUpgrade failed: [^\n]+\n$/);

    const unit = deployFile('einhorn-node.service');
    const reload = /^\/bin\/sh -c '(.*)'$/.exec(unitDirective(unit, 'ExecReload'))?.[1] ?? '';
    const reloaded = await run('/bin/sh', [
      '-c',
      substitute(reload, {
        '/srv/myapp/current/node_modules/.bin/einhornsh-node': SHELL_BIN,
        '/run/myapp/einhorn.sock': socket,
        '/run/myapp/': `${dir}/`,
      }),
    ]);
    expect(reloaded.code).not.toBe(0);
    expect(reloaded.stdout).toContain('Upgrade failed: ');

    const [port = 0] = (await stateOf(socket)).bound_ports;
    expect(await getBody(port)).toMatch(/^Hello from worker \d+\n$/);
    await stop(master);

    const unreachable = await run(testNode, [
      compiled.js('deploy-upgrade'),
      join(dir, 'nothing.sock'),
    ]);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain('ERR_EINHORN_CLIENT_CONNECT');
  });
});

describe('docs/examples/master-api.ts', () => {
  it('supervises the getting-started worker as a library and stops on SIGINT', async () => {
    const master = await spawnFixture(compiled.js('master-api'), {
      args: [worker],
      env: baseEnv({ PORT: '0' }),
      readyLine: /^master \d+ up on port \d+$/,
    });
    const line = await master.output.waitForLine(/^master \d+ up on port \d+$/);
    const port = Number(/port (\d+)$/.exec(line)?.[1]);
    await master.output.waitForLine(/^worker \d+ \(index 1\) is up$/);
    expect(await getBody(port)).toMatch(/^Hello from worker \d+\n$/);
    await stop(master);
  });
});
