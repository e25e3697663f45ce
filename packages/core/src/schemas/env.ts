import { z } from 'zod';
import { readEinhornEnv } from '../internal/read-env.ts';
import type { EinhornEnv, EnvSource } from '../types.ts';

/**
 * Validates an environment record (like `process.env`) and outputs the {@link EinhornEnv}
 * it describes, with the same rules as `parseEinhornEnv` (legacy `EINHORN_FDS` allowed).
 * On failure the single issue's `path` is the offending variable and `params` holds the
 * error code and details.
 */
export const envSchema: z.ZodType<EinhornEnv, EnvSource> = z
  .record(z.string(), z.string().optional())
  .transform((env, ctx) => {
    const result = readEinhornEnv(env);
    if (result.ok) return result.env;
    const { code, message, details } = result.issue;
    ctx.addIssue({
      code: 'custom',
      message,
      path: [details.variable],
      params: { errorCode: code, ...details },
    });
    return z.NEVER;
  });
