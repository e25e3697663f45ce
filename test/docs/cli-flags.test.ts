// Every einhorn-node / einhornsh-node command line in the docs uses options the built CLIs
// really have (from their --help), the systemd units pass systemd's own verifier, and the
// deployment files keep their time budgets nested.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testNode } from '../helpers/spawn-fixture.ts';
import { findInvocations, parseHelp, unknownOptions } from './support/cli-usage.ts';
import type { CliFlags, Invocation } from './support/cli-usage.ts';
import {
  deployFile,
  dockerCmd,
  dockerInstruction,
  kubernetesContainer,
  unitDirective,
} from './support/deploy-files.ts';
import { DEPLOY, MASTER_CLI, SHELL_CLI, markdownFiles, repoPath } from './support/repo.ts';

function help(cli: string): string {
  const result = spawnSync(testNode, [cli, '--help'], { encoding: 'utf8' });
  return result.stdout;
}

/** A value of `option` in an argument list, as a number. */
function optionValue(args: readonly string[], option: string): number {
  const at = args.indexOf(option);
  return Number(args[at + 1]);
}

describe('command lines in the docs', () => {
  let master: CliFlags;
  let shell: CliFlags;
  let invocations: Invocation[];

  beforeAll(() => {
    master = parseHelp(help(MASTER_CLI));
    shell = parseHelp(help(SHELL_CLI));
    const container = kubernetesContainer();
    const dockerfile = deployFile('Dockerfile');
    invocations = [
      ...markdownFiles().flatMap((file) =>
        findInvocations(readFileSync(file, 'utf8'), repoPath(file)),
      ),
      ...['einhorn-node.service', 'Dockerfile', 'kubernetes.yaml'].flatMap((name) =>
        findInvocations(deployFile(name), `docs/deploy/${name}`),
      ),
      ...findInvocations(dockerCmd(dockerfile).join(' '), 'docs/deploy/Dockerfile CMD'),
      ...findInvocations(
        [...container.args, '\n', ...container.readiness, '\n', ...container.liveness].join(' '),
        'docs/deploy/kubernetes.yaml',
      ),
    ];
  });

  it('reads the options of both CLIs from their --help', () => {
    expect([...master.known]).toEqual(
      expect.arrayContaining(['-b', '--bind', '-m', '--ack-timeout']),
    );
    expect(master.takesValue.has('-b')).toBe(true);
    expect(master.takesValue.has('-k')).toBe(false);
    expect([...shell.known]).toEqual(expect.arrayContaining(['-d', '-e', '--raw']));
  });

  it('finds the command lines, and every option they use exists', () => {
    expect(
      invocations.filter((i) => i.words.some((word) => word.startsWith('-'))).length,
    ).toBeGreaterThan(30);
    const problems = invocations.flatMap((invocation) =>
      unknownOptions(invocation, invocation.program === 'einhorn-node' ? master : shell).map(
        (option) => `${invocation.where}: ${invocation.program} has no option ${option}`,
      ),
    );
    expect(problems).toEqual([]);
  });

  it('would catch an invented option', () => {
    const [invocation] = findInvocations(
      'einhorn-node -b 127.0.0.1:80 --drain-ms 5 -- node x.js',
      'test',
    );
    if (invocation === undefined) throw new Error('not found');
    expect(unknownOptions(invocation, master)).toEqual(['--drain-ms']);
    const [shellCall] = findInvocations('`einhornsh-node -d /x.sock -x state`', 'test');
    if (shellCall === undefined) throw new Error('not found');
    expect(unknownOptions(shellCall, shell)).toEqual(['-x']);
  });
});

describe('docs/deploy consistency', () => {
  it('nests the stop budgets: worker 30 s < master -t < systemd TimeoutStopSec / Kubernetes grace', () => {
    const unit = deployFile('einhorn-node.service');
    const unitArgs = unitDirective(unit, 'ExecStart').split(/\s+/);
    const signalTimeout = optionValue(unitArgs, '-t');
    expect(signalTimeout).toBeGreaterThan(30);
    expect(Number(unitDirective(unit, 'TimeoutStopSec'))).toBeGreaterThan(signalTimeout);
    const ruby = deployFile('einhorn-ruby.service');
    const rubyTimeout = Number(
      /--signal-timeout=(\d+)/.exec(unitDirective(ruby, 'ExecStart'))?.[1],
    );
    expect(rubyTimeout).toBeGreaterThan(30);
    expect(Number(unitDirective(ruby, 'TimeoutStopSec'))).toBeGreaterThan(rubyTimeout);

    const container = kubernetesContainer();
    const [sleep, seconds] = container.preStop;
    expect(sleep).toBe('sleep');
    expect(container.terminationGracePeriodSeconds).toBeGreaterThan(
      Number(seconds) + optionValue(container.args, '-t'),
    );
  });

  it('stops the master with SIGINT everywhere, never the default SIGTERM', () => {
    expect(unitDirective(deployFile('einhorn-node.service'), 'KillSignal')).toBe('SIGINT');
    expect(unitDirective(deployFile('einhorn-ruby.service'), 'KillSignal')).toBe('SIGINT');
    expect(dockerInstruction(deployFile('Dockerfile'), 'STOPSIGNAL')).toBe('SIGINT');
  });

  it('uses the same readiness script in the Dockerfile and the Kubernetes probe', () => {
    const script = (text: string): string | undefined => /node -e '([^']+)'/.exec(text)?.[1];
    const fromDocker = script(dockerInstruction(deployFile('Dockerfile'), 'HEALTHCHECK'));
    expect(fromDocker).toBeDefined();
    expect(script(kubernetesContainer().readiness.join(' '))).toBe(fromDocker);
  });

  it('runs the same einhorn-node options in the Dockerfile and in Kubernetes (apart from -n)', () => {
    const docker = dockerCmd(deployFile('Dockerfile'));
    const kube = [...kubernetesContainer().args];
    kube[kube.indexOf('-n') + 1] = docker[docker.indexOf('-n') + 1] ?? '';
    expect(kube).toEqual(docker);
  });
});

describe('systemd-analyze verify', () => {
  const analyze = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' });
  const available = analyze.status === 0;
  const dir = mkdtempSync(join(tmpdir(), 'einhorn-docs-units-'));
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  if (!available && process.env['CI'] === undefined) {
    it.skip('skipped: systemd-analyze is not installed (apt-get install systemd); CI fails instead', () =>
      undefined);
    return;
  }

  it.each(['einhorn-node.service', 'einhorn-ruby.service'])('%s is a valid unit', (name) => {
    expect(available, 'systemd-analyze is required in CI (apt-get install systemd)').toBe(true);
    // The einhorn-node unit requires its socket unit (socket activation): installed as the pair
    // myapp.service + myapp.socket, as the guide does.
    const withSocket = name === 'einhorn-node.service';
    const unit = join(
      dir,
      withSocket ? 'myapp.service' : `myapp-${name.replace('.service', '')}.service`,
    );
    copyFileSync(join(DEPLOY, name), unit);
    const units = [unit];
    if (withSocket) {
      units.push(join(dir, 'myapp.socket'));
      copyFileSync(join(DEPLOY, 'einhorn-node.socket'), join(dir, 'myapp.socket'));
    }
    const result = spawnSync('systemd-analyze', ['verify', ...units], { encoding: 'utf8' });
    // Executables of the example host (/usr/local/bin/einhorn, /srv/myapp/…) need not exist here.
    const problems = `${result.stdout}${result.stderr}`
      .split('\n')
      .filter(
        (line) => line.trim() !== '' && !/is not executable|No such file or directory/.test(line),
      );
    expect(problems).toEqual([]);
    expect([0, 1]).toContain(result.status);
  });
});
