import { EinhornError } from '@einhorn/core';
import { z } from 'zod';
import type { AckVia, ContextOptions } from '@einhorn/worker';
import type { FastifyEinhornOptions, ListenEinhornOptions } from './types.ts';

/** Prefix of every error message raised by this package (Fastify plugin convention). */
export const PACKAGE_NAME = '@einhorn/fastify';

const DEFAULT_SHUTDOWN_TIMEOUT_MS = 30_000;
const DEFAULT_IDLE_GRACE_MS = 1_000;

const durationMs = z.int().nonnegative().max(2_147_483_647);

const pluginOptionsSchema = z.object({
  ack: z.enum(['auto', 'manual']).default('auto'),
  ackTimeoutMs: durationMs.positive().optional(),
  ackVia: z.enum(['auto', 'path', 'fd']).optional(),
  signals: z
    .array(z.string().regex(/^SIG[A-Z0-9]+$/))
    .min(1)
    .default(['SIGUSR2']),
  shutdownTimeoutMs: durationMs.positive().default(DEFAULT_SHUTDOWN_TIMEOUT_MS),
  idleGraceMs: durationMs.default(DEFAULT_IDLE_GRACE_MS),
  exit: z.boolean().default(true),
  healthPath: z.string().startsWith('/').optional(),
  env: z.record(z.string(), z.string().optional()).optional(),
  verifyParent: z.boolean().optional(),
  legacyFds: z.boolean().optional(),
});

const listenOptionsSchema = z.object({
  fdIndex: z.int().nonnegative().max(65_535).default(0),
  backlog: z
    .union([z.literal('inherit'), z.int().positive().max(2_147_483_647)])
    .default('inherit'),
  fallback: z
    .object({
      port: z.int().min(0).max(65_535),
      host: z.string().min(1).optional(),
    })
    .optional(),
});

/** Plugin options with defaults applied. */
export interface ResolvedPluginOptions {
  readonly ack: 'auto' | 'manual';
  readonly ackTimeoutMs: number | undefined;
  readonly ackVia: AckVia | undefined;
  readonly signals: readonly NodeJS.Signals[];
  readonly shutdownTimeoutMs: number;
  readonly idleGraceMs: number;
  readonly exit: boolean;
  readonly healthPath: string | undefined;
  readonly contextOptions: ContextOptions;
}

/** Resolved {@link ListenEinhornOptions}. */
export interface ResolvedListenOptions {
  readonly fdIndex: number;
  readonly backlog: number | 'inherit';
  readonly fallback: { readonly port: number; readonly host: string } | undefined;
}

function invalidOptions(
  what: string,
  error: z.ZodError,
  options: unknown,
): EinhornError<'ERR_EINHORN_INVALID_OPTIONS'> {
  const issues = error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
  const [first] = error.issues;
  const path = first?.path.map(String) ?? [];
  const where = path.length === 0 ? what : `${what} ${path.join('.')}`;
  const found = describe(valueAt(options, path));
  return new EinhornError(
    'ERR_EINHORN_INVALID_OPTIONS',
    `${PACKAGE_NAME}: expected a valid ${where} (${first?.message ?? 'see details'}), but found ${found}; fix it or omit it to use the default.`,
    { cause: error, details: { option: what, found, issues } },
  );
}

function valueAt(root: unknown, path: readonly string[]): unknown {
  let value = root;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Readonly<Record<string, unknown>>)[key];
  }
  return value;
}

function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return 'a function';
  try {
    return JSON.stringify(value).slice(0, 80);
  } catch {
    return typeof value;
  }
}

/**
 * Validates the plugin options and applies defaults.
 *
 * @throws EinhornError `ERR_EINHORN_INVALID_OPTIONS`
 */
export function resolvePluginOptions(
  options: FastifyEinhornOptions | undefined,
): ResolvedPluginOptions {
  const result = pluginOptionsSchema.safeParse(options ?? {});
  if (!result.success) throw invalidOptions('plugin options', result.error, options);
  const { env, verifyParent, legacyFds, ackTimeoutMs, ackVia, healthPath, signals, ...rest } =
    result.data;
  return {
    ...rest,
    signals: signals as NodeJS.Signals[],
    ackTimeoutMs,
    ackVia,
    healthPath,
    contextOptions: {
      ...(env === undefined ? {} : { env }),
      ...(verifyParent === undefined ? {} : { verifyParent }),
      ...(legacyFds === undefined ? {} : { legacyFds }),
    },
  };
}

/**
 * Validates the {@link listenEinhorn} options and applies defaults.
 *
 * @throws EinhornError `ERR_EINHORN_INVALID_OPTIONS`
 */
export function resolveListenOptions(
  options: ListenEinhornOptions | undefined,
): ResolvedListenOptions {
  const result = listenOptionsSchema.safeParse(options ?? {});
  if (!result.success) throw invalidOptions('listenEinhorn options', result.error, options);
  const { fdIndex, backlog, fallback } = result.data;
  return {
    fdIndex,
    backlog,
    fallback:
      fallback === undefined
        ? undefined
        : { port: fallback.port, host: fallback.host ?? 'localhost' },
  };
}
