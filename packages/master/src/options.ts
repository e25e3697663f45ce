import { availableParallelism } from 'node:os';
import { OptionsValidator } from '@einhorn/core';
import type { EnvSource } from '@einhorn/core';
import { parseBindSpec } from './bind/parse-bind.ts';
import type { BindAddress } from './bind/parse-bind.ts';
import type { Verbosity } from './log/log-bus.ts';
import type { MasterLogger, MasterOptions } from './types.ts';
import { isSignalName } from './signals/signal-names.ts';
import { defaultMasterPaths } from './state/paths.ts';
import { checkBindEntries } from './validation/bind-option.ts';
import { checkEnvSource, checkNumber, checkStringList } from './validation/checks.ts';
import { resolveAck, resolveBackoff } from './validation/nested-options.ts';
import type { ResolvedAck } from './validation/nested-options.ts';

export type { ResolvedAck } from './validation/nested-options.ts';

/** {@link MasterOptions} validated, with every default applied. */
export interface ResolvedMasterOptions {
  readonly command: string;
  readonly args: readonly string[];
  readonly binds: readonly BindAddress[];
  readonly workers: number;
  readonly ack: ResolvedAck;
  readonly shutdownSignal: NodeJS.Signals;
  readonly killTimeoutMs: number;
  readonly respawnBackoff: { readonly minMs: number; readonly maxMs: number };
  readonly maxUnacked: number;
  readonly maxUpgradeAdditional: number | undefined;
  readonly backlog: number;
  readonly socketActivation: boolean;
  readonly env: EnvSource;
  readonly dropEnv: readonly string[];
  readonly reexecCommand: readonly string[] | undefined;
  readonly legacyFdsEnv: boolean;
  readonly cwd: string;
  readonly name: string | undefined;
  readonly commandSocketPath: string;
  readonly pidfilePath: string | false;
  readonly lockfilePath: string | undefined;
  readonly commandSocketAsFd: boolean;
  readonly killWorkersOnExit: boolean;
  readonly pingTimeoutMs: number;
  readonly maxFailedStarts: number;
  readonly logger: MasterLogger | undefined;
  readonly verbosity: Verbosity;
  readonly signal: AbortSignal | undefined;
}

/** The flat options: checked in place, their defaults applied in {@link resolveMasterOptions}. */
function checkFlatOptions(v: OptionsValidator): void {
  v.string('command');
  if (v.value('command') === undefined) v.fail('command', 'a non-empty string (required)');
  checkStringList(v, 'args');
  v.integer('workers', 1, 1000);
  const signal = v.value('shutdownSignal');
  if (signal !== undefined && (typeof signal !== 'string' || !isSignalName(signal)))
    v.fail('shutdownSignal', 'a signal name such as "SIGUSR2"');
  for (const name of ['killTimeoutMs', 'pingTimeoutMs'])
    checkNumber(v, name, { value: v.value(name), min: 0 });
  v.integer('maxUnacked', 1);
  v.integer('maxUpgradeAdditional', 0);
  v.integer('backlog', 0, 65535);
  v.integer('maxFailedStarts', 0);
  for (const name of ['socketActivation', 'legacyFdsEnv', 'commandSocketAsFd', 'killWorkersOnExit'])
    v.boolean(name);
  checkEnvSource(v, 'env');
  checkStringList(v, 'dropEnv');
  checkStringList(v, 'reexecCommand', 1);
  for (const name of ['cwd', 'name', 'commandSocketPath', 'lockfilePath']) v.string(name);
  if (v.value('pidfilePath') !== false) v.string('pidfilePath');
  v.func('logger');
  v.oneOf('verbosity', [0, 1, 2]);
  v.abortSignal('signal');
}

/**
 * Validates {@link MasterOptions} and applies defaults. Never mutates the input. Unknown keys
 * are ignored.
 * @throws EinhornError ERR_EINHORN_INVALID_OPTIONS, naming every invalid option;
 *   EinhornMasterError ERR_EINHORN_BIND_INVALID for a well-formed but unusable bind address
 */
export function resolveMasterOptions(options: MasterOptions): ResolvedMasterOptions {
  const v = new OptionsValidator(options);
  checkFlatOptions(v);
  const bind = checkBindEntries(v);
  const ack = resolveAck(v);
  const respawnBackoff = resolveBackoff(v);
  v.throwIfInvalid('createMaster() options', 'fix that option and start again');
  const env = options.env ?? process.env;
  return {
    command: options.command,
    args: options.args ?? [],
    binds: bind.map((spec) => parseBindSpec(spec)),
    workers: options.workers ?? 1,
    ack,
    shutdownSignal: options.shutdownSignal ?? 'SIGUSR2',
    killTimeoutMs: options.killTimeoutMs ?? 0,
    respawnBackoff,
    maxUnacked: options.maxUnacked ?? availableParallelism(),
    maxUpgradeAdditional: options.maxUpgradeAdditional,
    backlog: options.backlog ?? 100,
    socketActivation: options.socketActivation ?? true,
    env,
    dropEnv: options.dropEnv ?? [],
    reexecCommand: options.reexecCommand,
    legacyFdsEnv: options.legacyFdsEnv ?? true,
    cwd: options.cwd ?? process.cwd(),
    name: options.name,
    commandSocketPath: options.commandSocketPath ?? defaultMasterPaths(options.name, env).socket,
    pidfilePath: options.pidfilePath ?? false,
    lockfilePath: options.lockfilePath,
    commandSocketAsFd: options.commandSocketAsFd ?? false,
    killWorkersOnExit: options.killWorkersOnExit ?? false,
    pingTimeoutMs: options.pingTimeoutMs ?? 0,
    maxFailedStarts: options.maxFailedStarts ?? 10,
    logger: options.logger,
    verbosity: options.verbosity ?? 1,
    signal: options.signal,
  };
}
