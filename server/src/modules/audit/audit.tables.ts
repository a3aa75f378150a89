import { bigint, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * The hash-chained audit log. Rows are only ever inserted: a trigger (migration 0001) refuses
 * UPDATE, DELETE and TRUNCATE. The payload is stored as the exact canonical JSON text that was
 * hashed, so verification can recompute every hash byte for byte.
 */
export const auditEvents = pgTable(
  'audit_events',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey(),
    occurredAt: timestamp('occurred_at', { withTimezone: true, precision: 3 }).notNull(),
    actorId: uuid('actor_id'),
    actorRole: text('actor_role').notNull(),
    action: text('action').notNull(),
    targetType: text('target_type'),
    targetId: text('target_id'),
    participantId: uuid('participant_id'),
    payload: text('payload').notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull().unique(),
  },
  (t) => [
    index('audit_events_action_idx').on(t.action, t.seq),
    index('audit_events_actor_idx').on(t.actorId, t.seq),
    index('audit_events_participant_idx').on(t.participantId, t.seq),
    index('audit_events_target_idx').on(t.targetType, t.targetId),
  ],
);
