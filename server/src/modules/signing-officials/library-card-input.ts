import { z } from 'zod';
import { idSchema } from '../../lib/validators.js';

/** The longest a library card may run: DUOS renews them yearly; two years leaves slack. */
export const MAX_CARD_DAYS = 730;

/** A card for one researcher until `expiresAt` (in the future, at most two years away). */
export const IssueLibraryCardSchema = z.object({
  researcherId: idSchema,
  expiresAt: z.coerce.date({ message: 'must be a date' }),
});

/** The card to revoke. */
export const RevokeLibraryCardSchema = z.object({ cardId: idSchema });
