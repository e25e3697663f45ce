import { z } from 'zod';
import { dropNullFields } from '../protocol/request-fields.ts';
import type { CommandName, EinhornCommand, RequestId } from '../types.ts';

/** A correlation id: any finite scalar. */
export const requestIdSchema: z.ZodType<RequestId> = z.union([z.string(), z.number(), z.boolean()]);

const pidSchema = z.int().positive();
const argsSchema = z.array(z.string()).exactOptional();

const base = { id: requestIdSchema.exactOptional() };
const bare = <TName extends CommandName>(command: TName) =>
  z.object({ ...base, command: z.literal(command) });
const withArgs = <TName extends CommandName>(command: TName) =>
  z.object({ ...base, command: z.literal(command), args: argsSchema });

/** One schema per command name. Unknown keys are accepted and dropped, as einhorn ignores them. */
export const commandSchemas = {
  'worker:ack': z.object({
    ...base,
    command: z.literal('worker:ack'),
    pid: pidSchema,
    confirm: z.boolean().exactOptional(),
  }),
  'worker:ping': z.object({
    ...base,
    command: z.literal('worker:ping'),
    pid: pidSchema,
    request_id: z.string(),
  }),
  ehlo: z.object({ ...base, command: z.literal('ehlo'), user: z.string().exactOptional() }),
  help: bare('help'),
  state: z.object({ ...base, command: z.literal('state'), format: z.string().exactOptional() }),
  reload: bare('reload'),
  inc: bare('inc'),
  dec: bare('dec'),
  set_workers: withArgs('set_workers'),
  quieter: bare('quieter'),
  louder: bare('louder'),
  upgrade: bare('upgrade'),
  upgrade_fleet: bare('upgrade_fleet'),
  signal: withArgs('signal'),
  die: withArgs('die'),
  config: withArgs('config'),
} as const satisfies {
  readonly [K in CommandName]: z.ZodType<Extract<EinhornCommand, { command: K }>>;
};

export { dropNullFields };

const union = z.discriminatedUnion('command', [
  commandSchemas['worker:ack'],
  commandSchemas['worker:ping'],
  commandSchemas.ehlo,
  commandSchemas.help,
  commandSchemas.state,
  commandSchemas.reload,
  commandSchemas.inc,
  commandSchemas.dec,
  commandSchemas.set_workers,
  commandSchemas.quieter,
  commandSchemas.louder,
  commandSchemas.upgrade,
  commandSchemas.upgrade_fleet,
  commandSchemas.signal,
  commandSchemas.die,
  commandSchemas.config,
]);

/**
 * Any request, discriminated on `command`. Fields set to `null` count as absent (einhorn's
 * `nil`); unknown keys are dropped; `pid` must be a positive integer (a string pid is invalid,
 * check 24); `args` must be an array of strings.
 */
export const commandSchema: z.ZodType<EinhornCommand> = z.preprocess(dropNullFields, union);
