import { bigserial, pgTable, text } from 'drizzle-orm/pg-core';
import { timestamptz } from '../../db/columns.js';

/**
 * What changed that the in-memory cohort index must learn, appended in the same transaction as
 * the change. Every API instance applies new rows before answering a count, so a withdrawal or a
 * consent change is visible to the very next query on any instance.
 * kind: `participant` (ref = participant num), `ingest` (ref = ingest id), `ontology`, `record`
 * (ref = participant num: an entry added to, corrected in or retracted from their record),
 * `genotypes` (ref = genotype upload id: a participant's own genotype file).
 */
export const cohortChanges = pgTable('cohort_changes', {
  seq: bigserial('seq', { mode: 'number' }).primaryKey(),
  kind: text('kind').notNull(),
  ref: text('ref').notNull(),
  at: timestamptz('at').notNull().defaultNow(),
});
