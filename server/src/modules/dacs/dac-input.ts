import { z } from 'zod';
import { CONSENT_REQUEST_TIMINGS } from '../../config.js';
import { OVERDUE_RULES } from './dacs.tables.js';
import { idSchema, nameSchema } from '../../lib/validators.js';

const quorum = z
  .number()
  .int({ message: 'must be a whole number' })
  .min(1, { message: 'must be at least 1' })
  .max(50, { message: 'must be at most 50' });
const voteDays = z
  .number()
  .int({ message: 'must be a whole number' })
  .min(1, { message: 'must be at least 1 day' })
  .max(365, { message: 'must be at most 365 days' });
const ids = z.array(idSchema).max(500);

/** A new committee: its name and rules, and optionally its first members, chair and datasets. */
export const CreateDacSchema = z.object({
  name: nameSchema,
  quorum: quorum.default(2),
  voteDays: voteDays.default(30),
  memberIds: ids.default([]),
  chairId: idSchema.nullish(),
  datasetIds: ids.default([]),
});

/** A committee's new name. */
export const RenameDacSchema = z.object({ dacId: idSchema, name: nameSchema });

/** One member joining or leaving a committee. */
export const DacMemberSchema = z.object({ dacId: idSchema, userId: idSchema });

/** The chair (null: the majority decides). */
export const DacChairSchema = z.object({ dacId: idSchema, chairId: idSchema.nullable() });

/**
 * The quorum, the voting period, when participants are asked and what an overdue election
 * allows; each may be left as it is (undefined). `askParticipants: null` goes back to the
 * server's default.
 */
export const DacRulesSchema = z.object({
  dacId: idSchema,
  quorum: quorum.optional(),
  voteDays: voteDays.optional(),
  askParticipants: z.enum(CONSENT_REQUEST_TIMINGS).nullable().optional(),
  overdueRule: z.enum(OVERDUE_RULES).optional(),
});

/** The datasets a committee governs, all of them (others it governed are released). */
export const DacDatasetsSchema = z.object({ dacId: idSchema, datasetIds: ids });
