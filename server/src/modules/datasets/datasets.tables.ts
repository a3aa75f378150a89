import { sql } from 'drizzle-orm';
import { pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { users } from '../accounts/accounts.tables.js';
import { createdAt, timestamptz, uuidRef } from '../../db/columns.js';

/** A dataset and the DUO data-use terms of the consent under which it was collected. */
export const datasets = pgTable('datasets', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull().unique(),
  description: text('description').notNull(),
  stewardId: uuidRef('steward_id', () => users.id),
  duoPermission: text('duo_permission').notNull(),
  duoDiseases: text('duo_diseases')
    .array()
    .notNull()
    .default(sql`'{}'::text[]`),
  duoModifiers: text('duo_modifiers')
    .array()
    .notNull()
    .default(sql`'{}'::text[]`),
  createdAt: createdAt(),
  updatedAt: timestamptz('updated_at').notNull().defaultNow(),
});
