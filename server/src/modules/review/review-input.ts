import { z } from 'zod';
import { idSchema } from '../../lib/validators.js';

/** A member's declaration of a conflict of interest on a request, for one committee. */
export const ConflictSchema = z.strictObject({
  studyId: idSchema,
  /** Needed only when the member sits on several committees deciding the request. */
  dacId: idSchema.nullish(),
  reason: z
    .string()
    .trim()
    .min(5, { message: 'say briefly why (at least 5 characters)' })
    .max(2_000),
});
