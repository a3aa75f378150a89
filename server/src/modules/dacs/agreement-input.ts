import { z } from 'zod';
import { idSchema } from '../../lib/validators.js';

/** A new version of a committee's data use agreement. */
export const PublishAgreementSchema = z.object({
  dacId: idSchema,
  text: z
    .string()
    .trim()
    .min(20, { message: 'must be at least 20 characters' })
    .max(50_000, { message: 'must be at most 50,000 characters' }),
});

/** The agreement version someone accepts (by its id, so they accept the text they read). */
export const AcceptAgreementSchema = z.object({ agreementId: idSchema });
