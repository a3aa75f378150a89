import { sql } from 'drizzle-orm';
import { index, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { users } from '../accounts/accounts.tables.js';
import { createdAt, timestamptz, uuidRef } from '../../db/columns.js';
import { studies } from './studies.tables.js';

/**
 * The full data access request of a study, as DUOS and dbGaP ask for it: one row per study with
 * each saved section (access-request-sections.ts) under its name. A section is stored only once
 * it validates, so a draft can be left and resumed section by section.
 */
export const studyApplications = pgTable('study_applications', {
  studyId: uuid('study_id')
    .primaryKey()
    .references(() => studies.id),
  sections: jsonb('sections')
    .notNull()
    .default(sql`'{}'::jsonb`),
  updatedAt: timestamptz('updated_at').notNull().defaultNow(),
});

/**
 * A named collaborator on a request. One with an account here (matched by e-mail) must confirm
 * before the request counts as complete; one without is named only.
 */
export const studyCollaborators = pgTable(
  'study_collaborators',
  {
    studyId: uuidRef('study_id', () => studies.id),
    email: text('email').notNull(),
    name: text('name').notNull(),
    institution: text('institution').notNull(),
    userId: uuid('user_id').references(() => users.id),
    confirmedAt: timestamptz('confirmed_at'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.studyId, t.email] }),
    index('study_collaborators_user_idx').on(t.userId),
  ],
);
