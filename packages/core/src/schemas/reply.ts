import { z } from 'zod';
import type { EinhornReply } from '../types.ts';
import { dropNullFields, requestIdSchema } from './command.ts';

/** A reply line's content: `{ message, request_id?, wait? }`; nulls count as absent, extra keys are dropped. */
export const replySchema: z.ZodType<EinhornReply> = z.preprocess(
  dropNullFields,
  z.object({
    message: z.string(),
    request_id: requestIdSchema.exactOptional(),
    wait: z.boolean().exactOptional(),
  }),
);
