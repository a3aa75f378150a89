import { sql } from 'drizzle-orm';
import { pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from '../accounts/accounts.tables.js';

/** A dataset and the DUO data-use terms of the consent under which it was collected. */
export const datasets = pgTable('datasets', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull().unique(),
  description: text('description').notNull(),
  stewardId: uuid('steward_id')
    .notNull()
    .references(() => users.id),
  duoPermission: text('duo_permission').notNull(),
  duoDiseases: text('duo_diseases')
    .array()
    .notNull()
    .default(sql`'{}'::text[]`),
  duoModifiers: text('duo_modifiers')
    .array()
    .notNull()
    .default(sql`'{}'::text[]`),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
