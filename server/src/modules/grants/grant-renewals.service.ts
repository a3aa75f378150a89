import { randomUUID } from 'node:crypto';
import { and, asc, eq, gt, inArray, isNull, lte } from 'drizzle-orm';
import { z } from 'zod';
import type { Database, Tx } from '../../db/database.js';
import { ConflictError, NotFoundError, ValidationError } from '../../errors/app-errors.js';
import { parseInput } from '../../errors/parse-input.js';
import { idSchema } from '../../lib/validators.js';
import { hasRole, systemActor, type Actor } from '../actors/actor.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { enqueueGrantRecord } from '../chain/outbox.service.js';
import { dacMemberIds, dacsOfMember, governingDacs } from '../dacs/dac-reads.js';
import { notify } from '../notifications/notify.js';
import { addMonths, RENEWAL_MONTHS, type GrantConditions } from './grant-terms.js';
import { assertCanDecideRenewal, assertIsGrantee } from './grant-renewals.policy.js';
import { claimActiveGrants } from './active-grants.js';
import { endGrant, grantState, visibleGrant, type GrantRow } from './grants.service.js';
import { grantRenewals, grants } from './grants.tables.js';

/** A renewal report row. */
export type RenewalRow = typeof grantRenewals.$inferSelect;

/** Days before the renewal date when the grantee is reminded, earliest first. */
export const RENEWAL_REMINDER_DAYS = [60, 30, 7] as const;

/** The renewal report opens with the first reminder: 60 days before the renewal date. */
const WINDOW_DAYS = RENEWAL_REMINDER_DAYS[0];
const DAY_MS = 86_400_000;

/**
 * Whether the grant must be renewed to continue past its renewal date. Not when a dataset's TS
 * (time limit) modifier ends it at or before that date: then it simply expires, and no report
 * or committee can extend it past the participants' time limit.
 */
export function renewalNeeded(grant: GrantRow, now = new Date()): boolean {
  if (grantState(grant, now) !== 'active') return false;
  return !(timeLimited(grant) && grant.expiresAt <= grant.renewalDueAt);
}

function timeLimited(grant: GrantRow): boolean {
  return (grant.conditions as GrantConditions).obligations.some((o) => o.code === 'TS');
}

const text = (min: number, max: number) =>
  z
    .string()
    .trim()
    .min(min, { message: `at least ${min} characters` })
    .max(max, { message: `at most ${max} characters` });

const ReportSchema = z.strictObject({
  grantId: z.unknown(),
  workDone: text(20, 10_000),
  publications: z.array(text(3, 500)).max(50, { message: 'at most 50 publications' }),
  /** Null or empty: no incidents to declare. */
  incidents: z
    .string()
    .trim()
    .max(5_000, { message: 'at most 5000 characters' })
    .nullable()
    .transform((s) => (s ? s : null)),
});

/**
 * The grantee submits the annual progress report for the grant's current renewal date, from 60
 * days before it (or once it is overdue). One report per renewal date; the grant's committees
 * are asked to decide.
 */
export async function submitRenewalReport(
  tx: Tx,
  actor: Actor | null,
  input: unknown,
  now = new Date(),
): Promise<RenewalRow> {
  const report = parseInput(ReportSchema, input);
  const grant = await visibleGrant(tx, actor, report.grantId, true);
  assertIsGrantee(actor, grant);
  if (!renewalNeeded(grant, now))
    throw new ConflictError(`The grant is ${grantState(grant, now)} and needs no renewal`);
  if (grant.renewalDueAt.getTime() - now.getTime() > WINDOW_DAYS * DAY_MS)
    throw new ConflictError(
      `The renewal report opens ${WINDOW_DAYS} days before the renewal date (${day(grant.renewalDueAt)})`,
    );
  const [existing] = await tx
    .select({ id: grantRenewals.id })
    .from(grantRenewals)
    .where(and(eq(grantRenewals.grantId, grant.id), eq(grantRenewals.dueAt, grant.renewalDueAt)));
  if (existing) throw new ConflictError('A renewal report for this renewal date was submitted');
  const [row] = await tx
    .insert(grantRenewals)
    .values({
      id: randomUUID(),
      grantId: grant.id,
      dueAt: grant.renewalDueAt,
      workDone: report.workDone,
      publications: report.publications,
      incidents: report.incidents,
      submittedBy: actor.userId,
      submittedAt: now,
    })
    .returning();
  await appendAuditEvent(tx, actor, {
    action: 'grant.renewal.submit',
    targetType: 'grant',
    targetId: grant.id,
    payload: {
      renewal: row!.id,
      dueAt: grant.renewalDueAt.toISOString(),
      publications: report.publications.length,
      incidents: report.incidents !== null,
    },
  });
  await notify(tx, await committeeMembers(tx, grant), {
    kind: 'renewal_submitted',
    title: 'A grant’s renewal awaits your decision',
    body: `The principal investigator sent the annual progress report of a grant your committee governs${report.incidents ? ', declaring an incident' : ''}.`,
    link: '/review/renewals',
  });
  return row!;
}

const DecisionSchema = z
  .strictObject({
    renewalId: idSchema,
    decision: z.enum(['renew', 'not_renew']),
    note: z
      .string()
      .trim()
      .max(2_000, { message: 'at most 2000 characters' })
      .nullable()
      .transform((s) => (s ? s : null)),
  })
  .refine((d) => d.decision === 'renew' || (d.note?.length ?? 0) >= 10, {
    path: ['note'],
    message: 'not renewing needs a reason of at least 10 characters',
  });

/**
 * A member of a committee that governs the grant decides a submitted renewal report. Renewing
 * moves the renewal date a year on and, unless a time limit (TS) bounds the grant, extends its
 * expiry to that date; the expiry it sets is enqueued for the chain (`renewalRecord`). Not renewing revokes the grant at once, with the reason.
 */
export async function decideRenewal(
  tx: Tx,
  actor: Actor | null,
  input: unknown,
  now = new Date(),
): Promise<RenewalRow> {
  const decision = parseInput(DecisionSchema, input);
  const [renewal] = await tx
    .select()
    .from(grantRenewals)
    .where(eq(grantRenewals.id, decision.renewalId))
    .for('update');
  if (!renewal) throw new NotFoundError('Renewal');
  const grant = await visibleGrant(tx, actor, renewal.grantId, true);
  const member = await assertCanDecideRenewal(tx, actor, grant);
  if (renewal.status !== 'submitted') throw new ConflictError('This renewal was decided');
  if (grantState(grant, now) !== 'active')
    throw new ConflictError(`The grant is ${grantState(grant, now)}`);
  const renew = decision.decision === 'renew';
  const [decided] = await tx
    .update(grantRenewals)
    .set({
      status: renew ? 'renewed' : 'not_renewed',
      decidedBy: member.userId,
      decidedAt: now,
      decisionNote: decision.note,
    })
    .where(eq(grantRenewals.id, renewal.id))
    .returning();
  await appendAuditEvent(tx, member, {
    action: renew ? 'grant.renewal.renew' : 'grant.renewal.decline',
    targetType: 'grant',
    targetId: grant.id,
    payload: { renewal: renewal.id },
  });
  if (!renew) {
    await endGrant(tx, member, grant, 'revoked', `renewal not granted: ${decision.note}`);
    return decided!;
  }
  const nextDue = addMonths(renewal.dueAt, RENEWAL_MONTHS);
  const expiresAt = timeLimited(grant) || grant.expiresAt >= nextDue ? grant.expiresAt : nextDue;
  await enqueueGrantRecord(tx, renewalRecord(grant, await renewalCount(tx, grant.id), expiresAt));
  await tx
    .update(grants)
    .set({
      renewalDueAt: nextDue,
      expiresAt,
      renewalRemindersSent: 0,
      renewalOverdueAt: null,
      // A later expiry earns its own 30-day notice.
      ...(expiresAt > grant.expiresAt ? { expiryNoticeAt: null } : {}),
    })
    .where(eq(grants.id, grant.id));
  await notify(tx, [grant.researcherId], {
    kind: 'renewal_decided',
    title: 'Your grant was renewed',
    body: `The committee renewed your grant. The next progress report is due on ${day(nextDue)}; the grant runs until ${day(expiresAt)}.`,
    link: `/grants/${grant.id}`,
  });
  return decided!;
}

/** The outbox event that put a grant's current expiry on chain: its last renewal's, or its own. */
export function expiryEventId(grantId: string, renewals: number): string {
  return renewals > 0 ? `grant:${grantId}:renewal:${renewals}` : `grant:${grantId}`;
}

/**
 * The chain record of a renewal. The contract records each grant id once and is not changed
 * here, so a renewal goes on chain as a grant record of its own, `<grant id>:renewal:<n>` (the
 * n-th renewal), with the grant's study and cohort root and the expiry the renewal set: a
 * verifier reads the grant's current expiry from its highest-numbered renewal record, or from
 * the grant's own record when it was never renewed. Pseudonymous like the grant's record.
 */
export function renewalRecord(
  grant: GrantRow,
  n: number,
  expiresAt: Date,
): Parameters<typeof enqueueGrantRecord>[1] {
  return {
    event_id: expiryEventId(grant.id, n),
    grant_id: `${grant.id}:renewal:${n}`,
    study_id: grant.studyId,
    cohort_root: grant.cohortRoot,
    expiry: String(Math.floor(expiresAt.getTime() / 1000)),
  };
}

/** How many times a grant was renewed (during a renewal: that decision included, once written). */
export async function renewalCount(tx: Tx, grantId: string): Promise<number> {
  const rows = await tx
    .select({ id: grantRenewals.id })
    .from(grantRenewals)
    .where(and(eq(grantRenewals.grantId, grantId), eq(grantRenewals.status, 'renewed')));
  return rows.length;
}

/**
 * A committee member revokes a grant whose renewal date passed without a renewal (the sweep
 * flagged it overdue). The committee decides rather than a timer: a report may be on its way,
 * or the committee may prefer to ask first. Until then the grant stays active but overdue.
 */
export async function revokeForMissedRenewal(
  tx: Tx,
  actor: Actor | null,
  grantIdInput: unknown,
  now = new Date(),
): Promise<GrantRow> {
  const grant = await visibleGrant(tx, actor, grantIdInput, true);
  const member = await assertCanDecideRenewal(tx, actor, grant);
  if (grantState(grant, now) !== 'active')
    throw new ConflictError(`The grant is ${grantState(grant, now)}`);
  if (!grant.renewalOverdueAt) throw new ConflictError('The grant’s renewal is not overdue');
  return endGrant(tx, member, grant, 'revoked', `missed its renewal on ${day(grant.renewalDueAt)}`);
}

const RescheduleSchema = z.strictObject({
  grantId: idSchema,
  dueAt: z.coerce.date({ message: 'must be a date' }),
});

/**
 * A committee member (or the platform, for the demo) sets an earlier renewal date, for example
 * to ask for a progress report sooner after an incident. It must lie in the future and before
 * the grant's expiry; the reminders start again for the new date.
 */
export async function setRenewalDate(
  tx: Tx,
  actor: Actor | null,
  input: unknown,
  now = new Date(),
): Promise<GrantRow> {
  const { grantId, dueAt } = parseInput(RescheduleSchema, input);
  const grant = await visibleGrant(tx, actor, grantId, true);
  if (actor?.kind !== 'system') await assertCanDecideRenewal(tx, actor, grant);
  if (grantState(grant, now) !== 'active')
    throw new ConflictError(`The grant is ${grantState(grant, now)}`);
  if (dueAt <= now || dueAt >= grant.expiresAt)
    throw new ValidationError('The renewal date must lie between now and the grant’s expiry', [
      { field: 'dueAt', message: `between today and ${day(grant.expiresAt)}` },
    ]);
  const [updated] = await tx
    .update(grants)
    .set({ renewalDueAt: dueAt, renewalRemindersSent: 0, renewalOverdueAt: null })
    .where(eq(grants.id, grant.id))
    .returning();
  await appendAuditEvent(tx, actor!, {
    action: 'grant.renewal.reschedule',
    targetType: 'grant',
    targetId: grant.id,
    payload: { dueAt: dueAt.toISOString() },
  });
  return updated!;
}

/** The renewal reports of a grant the caller may see, newest first. */
export async function renewalsOfGrant(
  tx: Tx,
  actor: Actor | null,
  grantIdInput: unknown,
): Promise<RenewalRow[]> {
  const grant = await visibleGrant(tx, actor, grantIdInput);
  const rows = await tx
    .select()
    .from(grantRenewals)
    .where(eq(grantRenewals.grantId, grant.id))
    .orderBy(asc(grantRenewals.dueAt));
  return rows.reverse();
}

/** What a committee member has to decide: submitted reports and overdue grants of their data. */
export interface RenewalsToReview {
  reports: RenewalRow[];
  overdue: GrantRow[];
  /** Active grants whose renewal date is within the reminder window and no report is in yet. */
  upcoming: GrantRow[];
}

/** The renewals waiting on the caller's committees (empty for anyone else on the board). */
export async function renewalsToReview(
  tx: Tx,
  actor: Actor | null,
  now = new Date(),
): Promise<RenewalsToReview> {
  const active = await tx
    .select()
    .from(grants)
    .where(and(eq(grants.status, 'active'), gt(grants.expiresAt, now)))
    .orderBy(asc(grants.renewalDueAt));
  // The caller's committees and the governing committee of every dataset, read once each.
  const memberOf = new Set(
    hasRole(actor, 'ethics_board') ? await dacsOfMember(tx, actor.userId) : [],
  );
  const governing = await governingDacs(tx, [...new Set(active.flatMap((g) => g.datasetIds))]);
  const mine = active.filter((g) => g.datasetIds.some((d) => memberOf.has(governing.get(d) ?? '')));
  const ids = mine.map((g) => g.id);
  const reports = ids.length
    ? await tx
        .select()
        .from(grantRenewals)
        .where(and(inArray(grantRenewals.grantId, ids), eq(grantRenewals.status, 'submitted')))
        .orderBy(asc(grantRenewals.submittedAt))
    : [];
  const soon = now.getTime() + WINDOW_DAYS * DAY_MS;
  const reported = new Set(reports.map((r) => r.grantId));
  return {
    reports,
    overdue: mine.filter((g) => g.renewalOverdueAt !== null && !reported.has(g.id)),
    upcoming: mine.filter(
      (g) =>
        !g.renewalOverdueAt &&
        !reported.has(g.id) &&
        renewalNeeded(g, now) &&
        g.renewalDueAt.getTime() <= soon,
    ),
  };
}

async function committeeMembers(tx: Tx, grant: GrantRow): Promise<string[]> {
  const members = new Set<string>();
  for (const dacId of new Set((await governingDacs(tx, grant.datasetIds)).values()))
    for (const id of await dacMemberIds(tx, dacId)) members.add(id);
  return [...members];
}

function day(d: Date): string {
  return d.toISOString().slice(0, 10);
}

const SWEEPER = systemActor('renewal-sweeper');

/**
 * A worker round, beside `sweepGrants`: reminds grantees 60, 30 and 7 days before their renewal
 * date (one reminder per threshold reached; a late first round sends only the latest), unless
 * the report is in; and flags grants whose renewal date passed without a renewal as overdue,
 * telling the grantee and the committees, who then revoke or renew. Claims with
 * `FOR UPDATE SKIP LOCKED`; idempotent; callable with any `now` (tests).
 */
export async function sweepRenewals(
  db: Database,
  now = new Date(),
): Promise<{ reminded: number; overdue: number }> {
  return db.transaction(async (tx) => {
    const horizon = new Date(now.getTime() + WINDOW_DAYS * DAY_MS);
    const candidates = await claimActiveGrants(
      tx,
      gt(grants.expiresAt, now),
      lte(grants.renewalDueAt, horizon),
      isNull(grants.renewalOverdueAt),
    );
    let reminded = 0;
    let overdue = 0;
    for (const { grant, title } of candidates) {
      if (!renewalNeeded(grant, now)) continue;
      const [report] = await tx
        .select({ status: grantRenewals.status })
        .from(grantRenewals)
        .where(
          and(eq(grantRenewals.grantId, grant.id), eq(grantRenewals.dueAt, grant.renewalDueAt)),
        );
      if (grant.renewalDueAt <= now) {
        // A report still being decided is not a missed renewal: the committee is the late one.
        if (report?.status === 'submitted') continue;
        overdue++;
        await flagOverdue(tx, grant, title, now);
        continue;
      }
      if (report) continue;
      const daysLeft = (grant.renewalDueAt.getTime() - now.getTime()) / DAY_MS;
      const stage = RENEWAL_REMINDER_DAYS.filter((d) => daysLeft <= d).length;
      if (stage <= grant.renewalRemindersSent) continue;
      reminded++;
      await tx.update(grants).set({ renewalRemindersSent: stage }).where(eq(grants.id, grant.id));
      await appendAuditEvent(tx, SWEEPER, {
        action: 'grant.renewal.remind',
        targetType: 'grant',
        targetId: grant.id,
        payload: { daysBefore: RENEWAL_REMINDER_DAYS[stage - 1] },
      });
      await notify(tx, [grant.researcherId], {
        kind: 'renewal_due',
        title: 'Your grant’s annual renewal is due',
        body: `Send the progress report for “${title}” before ${day(grant.renewalDueAt)} (${Math.ceil(daysLeft)} days left), or the committee may revoke the grant.`,
        link: `/grants/${grant.id}/renewal`,
      });
    }
    return { reminded, overdue };
  });
}

async function flagOverdue(tx: Tx, grant: GrantRow, title: string, now: Date): Promise<void> {
  await tx.update(grants).set({ renewalOverdueAt: now }).where(eq(grants.id, grant.id));
  await appendAuditEvent(tx, SWEEPER, {
    action: 'grant.renewal.overdue',
    targetType: 'grant',
    targetId: grant.id,
    payload: { dueAt: grant.renewalDueAt.toISOString() },
  });
  await notify(tx, [grant.researcherId], {
    kind: 'renewal_overdue',
    title: 'Your grant’s renewal is overdue',
    body: `The renewal of “${title}” was due on ${day(grant.renewalDueAt)}. Send the progress report now: the committee may revoke the grant.`,
    link: `/grants/${grant.id}/renewal`,
  });
  await notify(tx, await committeeMembers(tx, grant), {
    kind: 'renewal_overdue',
    title: 'A grant missed its renewal',
    body: `A grant your committee governs was due for renewal on ${day(grant.renewalDueAt)} and no report was sent. Revoke it, or wait for the report.`,
    link: '/review/renewals',
  });
}
