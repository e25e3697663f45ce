import { availableParallelism, constants as osConstants } from 'node:os';
import { z } from 'zod';
import { EinhornError } from '@einhorn/core';
import type { EnvSource } from '@einhorn/core';
import { parseBindSpec } from './bind/parse-bind.ts';
import type { BindAddress } from './bind/parse-bind.ts';
import type { Verbosity } from './log/log-bus.ts';
import type { MasterLogger, MasterOptions } from './types.ts';
import { defaultMasterPaths } from './state/paths.ts';

/** An ACK mode with its defaults applied. */
export type ResolvedAck =
  | { readonly mode: 'timer'; readonly afterMs: number }
  | { readonly mode: 'manual'; readonly timeoutMs: number };

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

/** Signal names this platform knows, e.g. `SIGUSR2`. */
export function isSignalName(name: string): name is NodeJS.Signals {
  return Object.hasOwn(osConstants.signals, name);
}

const durationMs = z.number().nonnegative();
const signalName = z
  .string()
  .refine(isSignalName, { message: 'expected a signal name such as SIGUSR2' });

const schema = z.object({
  command: z.string().min(1),
  args: z.array(z.string()).default([]),
  bind: z
    .array(
      z.union([
        z.string(),
        z.object({
          host: z.string(),
          port: z.number(),
          reuseAddr: z.boolean().exactOptional(),
          reusePort: z.boolean().exactOptional(),
        }),
        z.object({ path: z.string().min(1) }),
      ]),
    )
    .default([]),
  workers: z.int().min(1).max(1000).default(1),
  ack: z
    .discriminatedUnion('mode', [
      z.object({ mode: z.literal('timer'), afterMs: durationMs }),
      z.object({ mode: z.literal('manual'), timeoutMs: durationMs.default(0) }),
    ])
    .default({ mode: 'timer', afterMs: 1000 }),
  shutdownSignal: signalName.default('SIGUSR2'),
  killTimeoutMs: durationMs.default(0),
  respawnBackoff: z
    .object({ minMs: z.number().positive(), maxMs: z.number().positive().default(30_000) })
    .default({ minMs: 1000, maxMs: 30_000 }),
  maxUnacked: z.int().min(1).optional(),
  maxUpgradeAdditional: z.int().min(0).optional(),
  backlog: z.int().min(0).max(65535).default(100),
  socketActivation: z.boolean().default(true),
  env: z.record(z.string(), z.string().optional()).optional(),
  dropEnv: z.array(z.string()).default([]),
  reexecCommand: z.array(z.string()).min(1).optional(),
  legacyFdsEnv: z.boolean().default(true),
  cwd: z.string().min(1).optional(),
  name: z.string().min(1).optional(),
  commandSocketPath: z.string().min(1).optional(),
  pidfilePath: z.union([z.string().min(1), z.literal(false)]).default(false),
  lockfilePath: z.string().min(1).optional(),
  commandSocketAsFd: z.boolean().default(false),
  killWorkersOnExit: z.boolean().default(false),
  pingTimeoutMs: durationMs.default(0),
  maxFailedStarts: z.int().min(0).default(10),
  logger: z
    .custom<MasterLogger>((value) => typeof value === 'function', 'expected a function')
    .optional(),
  verbosity: z.union([z.literal(0), z.literal(1), z.literal(2)]).default(1),
  signal: z
    .custom<AbortSignal>((value) => value instanceof AbortSignal, 'expected an AbortSignal')
    .optional(),
});

function invalidOptions(error: z.ZodError): EinhornError {
  const issue = error.issues[0];
  const path = issue?.path.map(String).join('.') ?? '';
  return new EinhornError(
    'ERR_EINHORN_INVALID_OPTIONS',
    `Invalid master option "${path}": ${issue?.message ?? 'invalid value'}; fix that option and start again.`,
    {
      cause: error,
      details: {
        option: path,
        issues: error.issues.map((i) => ({
          path: i.path.map(String).join('.'),
          message: i.message,
        })),
      },
    },
  );
}

/**
 * Validates {@link MasterOptions} and applies defaults. Never mutates the input.
 * @throws EinhornError ERR_EINHORN_INVALID_OPTIONS; EinhornMasterError ERR_EINHORN_BIND_INVALID
 */
export function resolveMasterOptions(options: MasterOptions): ResolvedMasterOptions {
  const result = schema.safeParse(options);
  if (!result.success) throw invalidOptions(result.error);
  const data = result.data;
  const env = data.env ?? process.env;
  const paths = defaultMasterPaths(data.name, env);
  return {
    ...data,
    binds: data.bind.map((spec) => parseBindSpec(spec)),
    ack: data.ack,
    shutdownSignal: data.shutdownSignal,
    maxUnacked: data.maxUnacked ?? availableParallelism(),
    maxUpgradeAdditional: data.maxUpgradeAdditional,
    env,
    reexecCommand: data.reexecCommand,
    cwd: data.cwd ?? process.cwd(),
    name: data.name,
    commandSocketPath: data.commandSocketPath ?? paths.socket,
    lockfilePath: data.lockfilePath,
    logger: data.logger,
    signal: data.signal,
  };
}
