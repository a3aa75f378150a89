import { and, desc, eq, gte, lt, lte, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Tx } from '../../db/database.js';
import { parseInput } from '../../errors/parse-input.js';
import { idSchema } from '../../lib/validators.js';
import type { Actor } from '../accounts/actor.js';
import { assertCanReadAudit } from './audit.policy.js';
import { appendAuditEvent } from './audit.service.js';
import { auditEvents } from './audit.tables.js';
import { verifyAuditChain, type AuditVerification } from './audit-verify.js';

/** An audit event row. */
export type AuditEventRecord = typeof auditEvents.$inferSelect;

export const AuditFilterInput = z.object({
  action: z.string().trim().max(100).nullish(),
  actorId: idSchema.nullish(),
  participantId: idSchema.nullish(),
  from: z.date().nullish(),
  to: z.date().nullish(),
  /** Return events with a sequence number below this (for paging backwards in time). */
  beforeSeq: z.number().int().positive().nullish(),
  limit: z.number().int().min(1).max(500).default(50),
});

/**
 * Reads the audit trail, newest first. Reading the trail is itself audited (with the filter,
 * which holds only ids and dates), so boards' oversight is overseen too.
 */
export async function listAuditEvents(
  tx: Tx,
  actor: Actor | null,
  input: unknown,
): Promise<AuditEventRecord[]> {
  assertCanReadAudit(actor);
  const f = parseInput(AuditFilterInput, input ?? {});
  const where: SQL[] = [];
  if (f.action) where.push(eq(auditEvents.action, f.action));
  if (f.actorId) where.push(eq(auditEvents.actorId, f.actorId));
  if (f.participantId) where.push(eq(auditEvents.participantId, f.participantId));
  if (f.from) where.push(gte(auditEvents.occurredAt, f.from));
  if (f.to) where.push(lte(auditEvents.occurredAt, f.to));
  if (f.beforeSeq) where.push(lt(auditEvents.seq, f.beforeSeq));
  const rows = await tx
    .select()
    .from(auditEvents)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(auditEvents.seq))
    .limit(f.limit);
  await appendAuditEvent(tx, actor, {
    action: 'audit.read',
    participantId: f.participantId ?? undefined,
    payload: {
      filter: {
        action: f.action ?? null,
        actorId: f.actorId ?? null,
        participantId: f.participantId ?? null,
        from: f.from?.toISOString() ?? null,
        to: f.to?.toISOString() ?? null,
        beforeSeq: f.beforeSeq ?? null,
      },
      returned: rows.length,
    },
  });
  return rows;
}

/** Recomputes the hash chain (boards, admins) and records that a verification ran and its outcome. */
export async function runAuditVerification(
  tx: Tx,
  actor: Actor | null,
): Promise<AuditVerification> {
  assertCanReadAudit(actor);
  const result = await verifyAuditChain(tx);
  await appendAuditEvent(tx, actor, {
    action: 'audit.verify',
    payload: {
      ok: result.ok,
      checkedEvents: result.checkedEvents,
      firstBrokenSeq: result.firstBroken?.seq ?? null,
    },
  });
  return result;
}
