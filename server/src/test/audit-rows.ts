import { desc, eq } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { auditEvents } from '../modules/audit/audit.tables.js';

/** The newest audit event, for asserting that a mutation recorded itself. */
export async function lastAuditEvent(db: Database) {
  const [row] = await db.select().from(auditEvents).orderBy(desc(auditEvents.seq)).limit(1);
  return row ?? null;
}

/** The newest audit event with `action` (when a write appends more than one event). */
export async function lastAuditEventWith(db: Database, action: string) {
  const [row] = await db
    .select()
    .from(auditEvents)
    .where(eq(auditEvents.action, action))
    .orderBy(desc(auditEvents.seq))
    .limit(1);
  return row ?? null;
}

/** How many audit events exist (to assert that a refused write recorded nothing). */
export async function auditCount(db: Database): Promise<number> {
  return (await db.select({ seq: auditEvents.seq }).from(auditEvents)).length;
}

/** Audit events with the given action. */
export async function auditEventsWithAction(db: Database, action: string) {
  return db.select().from(auditEvents).where(eq(auditEvents.action, action));
}
