#!/usr/bin/env node
import { isEinhornError } from '@einhorn/core';
import { logFormatter } from '../log/format.ts';
import { createMaster } from '../master.ts';
import { handleMasterSignals } from '../signals/master-signals.ts';
import { defaultMasterPaths, type MasterPaths } from '../state/paths.ts';
import { EINHORN_NODE_VERSION } from '../state/version.ts';
import type { MasterLogEntry } from '../types.ts';
import { parseCli } from './options.ts';
import type { CliOptions } from './options.ts';
import { runStateFdMode, runUpgradeCheckMode } from './upgrade-check.ts';
import { usage } from './usage.ts';

function describe(error: unknown): string {
  if (isEinhornError(error)) return `${error.message} [${error.code}]`;
  return error instanceof Error ? error.message : String(error);
}

async function run(options: CliOptions): Promise<number> {
  const format = logFormatter(options.logFormat);
  const write = (entry: MasterLogEntry): void => {
    process.stderr.write(format(entry, process.pid));
  };
  // Only for the files not given on the command line: resolving defaults costs path work that,
  // repeated, has V8 compile Node's path code with Maglev at start-up (~2 MiB of RSS, B9).
  let defaults: MasterPaths | undefined;
  const paths = (): MasterPaths => (defaults ??= defaultMasterPaths(options.name));
  const master = createMaster({
    command: options.command,
    args: options.args,
    bind: options.bind,
    workers: options.workers,
    ack: options.ack,
    shutdownSignal: options.gracefulSignal,
    killTimeoutMs: options.signalTimeoutMs,
    respawnBackoff: { minMs: options.secondsMs },
    ...(options.maxUnacked === undefined ? {} : { maxUnacked: options.maxUnacked }),
    ...(options.maxUpgradeAdditional === undefined
      ? {}
      : { maxUpgradeAdditional: options.maxUpgradeAdditional }),
    backlog: options.backlog,
    dropEnv: options.dropEnv,
    // einhorn's default is its own $0; ours is this very process's command line.
    reexecCommand: options.reexecAs ?? [
      process.execPath,
      ...process.execArgv,
      ...(process.argv[1] === undefined ? [] : [process.argv[1]]),
    ],
    ...(options.name === undefined ? {} : { name: options.name }),
    commandSocketPath: options.socketPath ?? paths().socket,
    pidfilePath: options.pidfile ?? paths().pidfile,
    lockfilePath: options.lockfile ?? paths().lockfile,
    commandSocketAsFd: options.commandSocketAsFd,
    killWorkersOnExit: options.killChildrenOnExit,
    pingTimeoutMs: options.pingTimeoutMs,
    maxFailedStarts: options.maxFailedStarts,
    logger: write,
    verbosity: options.verbosity,
  });
  let exitCode = 0;
  const uninstall = handleMasterSignals(master, {
    log: (level, message) => {
      write({ level, message, time: new Date() });
    },
    onQuit: () => {
      exitCode = 1;
    },
  });
  for (const message of options.ignored) write({ level: 'error', message, time: new Date() });
  try {
    await master.start();
  } catch (error) {
    write({ level: 'error', message: describe(error), time: new Date() });
    uninstall();
    return 1;
  }
  await master.closed;
  uninstall();
  return exitCode;
}

async function main(argv: readonly string[]): Promise<number> {
  let action: ReturnType<typeof parseCli>;
  try {
    action = parseCli(argv);
  } catch (error) {
    process.stderr.write(`einhorn-node: ${describe(error)}\n`);
    return 1;
  }
  if (action.kind === 'help') {
    // einhorn prints the usage on stdout and exits 1 for -h as well; tooling may rely on it.
    process.stdout.write(usage());
    return 1;
  }
  if (action.kind === 'usage') {
    // einhorn: usage on stdout and exit 1 when there is no program to run.
    process.stdout.write(usage());
    if (action.reason !== undefined) process.stderr.write(`einhorn-node: ${action.reason}\n`);
    return 1;
  }
  if (action.kind === 'upgrade-check' || action.kind === 'state-fd') {
    const format = logFormatter('text');
    const log = (message: string): void => {
      process.stderr.write(format({ level: 'info', message, time: new Date() }, process.pid));
    };
    return action.kind === 'upgrade-check'
      ? runUpgradeCheckMode(log)
      : runStateFdMode(action.fd, process.env, log);
  }
  if (action.kind === 'version') {
    process.stdout.write(`${EINHORN_NODE_VERSION}\n`);
    return 0;
  }
  return run(action.options);
}

void main(process.argv.slice(2)).then((code) => {
  // Exit explicitly: after QUIT, orphaned workers' handles would otherwise keep the loop alive.
  process.stderr.write('', () => process.exit(code));
});
