import { and, desc, eq, getTableColumns, lt } from 'drizzle-orm';
import { z } from 'zod';
import type { Tx } from '../../db/database.js';
import { parseInput } from '../../errors/parse-input.js';
import type { Actor } from '../actors/actor.js';
import { participants } from '../participants/participants.tables.js';
import { assertCanReadAudit } from '../audit/audit.policy.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { auditEvents } from '../audit/audit.tables.js';
import {
  RANGE_ORDER_ISSUE,
  auditConditionsShape,
  rangeInOrder,
  recordedFilter,
  resolveAuditConditions,
} from './audit-filter.js';
import { verifyAuditChain, type AuditVerification } from '../audit/audit-verify.js';

/** An audit event row. */
export type AuditEventRecord = typeof auditEvents.$inferSelect;

/** An audit event as lists show it: with the pseudonym of the participant it concerns, if any. */
export type ListedAuditEvent = AuditEventRecord & { participantPseudonym: string | null };

export const AuditFilterInput = z
  .object({
    ...auditConditionsShape,
    /** Return events with a sequence number below this (for paging backwards in time). */
    beforeSeq: z.number().int().positive().nullish(),
    limit: z.number().int().min(1).max(500).default(50),
  })
  .refine(rangeInOrder, RANGE_ORDER_ISSUE);

/**
 * Reads the audit trail, newest first. Reading the trail is itself audited (with the filter,
 * which holds only ids, roles, action names and dates), so boards' oversight is overseen too.
 */
export async function listAuditEvents(
  tx: Tx,
  actor: Actor | null,
  input: unknown,
): Promise<ListedAuditEvent[]> {
  assertCanReadAudit(actor);
  const f = parseInput(AuditFilterInput, input ?? {});
  const { where, participantId } = await resolveAuditConditions(tx, f);
  const rows = await tx
    .select({ ...getTableColumns(auditEvents), participantPseudonym: participants.pseudonym })
    .from(auditEvents)
    .leftJoin(participants, eq(participants.id, auditEvents.participantId))
    .where(and(where, f.beforeSeq ? lt(auditEvents.seq, f.beforeSeq) : undefined))
    .orderBy(desc(auditEvents.seq))
    .limit(f.limit);
  await appendAuditEvent(tx, actor, {
    action: 'audit.read',
    participantId: participantId ?? undefined,
    payload: {
      filter: { ...recordedFilter(f, participantId), beforeSeq: f.beforeSeq ?? null },
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
