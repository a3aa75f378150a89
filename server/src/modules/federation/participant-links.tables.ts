import { sql } from 'drizzle-orm';
import { bigint, check, index, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt } from '../../db/columns.js';
import { participants } from '../participants/participants.tables.js';

/**
 * The links this site took part in: a participant here offered (`offer`) or accepted (`accept`)
 * a link with their record at `other_member`, under the chain nonce. The link itself is on
 * chain; this row tells the site whose linked decisions to read, and `applied_seq` how far it
 * has applied them (the chain's consent `seq`).
 */
export const participantSiteLinks = pgTable(
  'participant_site_links',
  {
    nonce: text('nonce').primaryKey(),
    participantId: uuid('participant_id')
      .notNull()
      .references(() => participants.id, { onDelete: 'cascade' }),
    role: text('role').notNull(),
    otherMember: text('other_member').notNull(),
    appliedSeq: bigint('applied_seq', { mode: 'number' }).notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    check('participant_site_links_role', sql`${t.role} in ('offer', 'accept')`),
    index('participant_site_links_participant').on(t.participantId),
  ],
);
