import { and, eq, lt, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database, Tx } from '../../db/database.js';
import { parseInput } from '../../errors/parse-input.js';
import { systemActor, type Actor } from '../actors/actor.js';
import { appendAuditEvents, appendParticipantEvent } from '../audit/audit.service.js';
import { notify } from '../notifications/notify.js';
import { participants } from '../participants/participants.tables.js';
import { signedInParticipant } from '../participants/signed-in-participant.js';
import { consentReminderSchedules, consentRequests, studies } from './studies.tables.js';

/** The bounds a reminder schedule must keep (also checked by the table). */
export const REMINDER_BOUNDS = {
  everyDays: { min: 7, max: 90 },
  maxReminders: { min: 1, max: 10 },
};

/** A participant's reminder schedule for unanswered consent requests. */
export interface ReminderSchedule {
  everyDays: number;
  maxReminders: number;
  /** No reminders at all. */
  stopped: boolean;
}

/** What applies until a participant changes it: every two weeks, at most three per request. */
export const DEFAULT_REMINDER_SCHEDULE: ReminderSchedule = {
  everyDays: 14,
  maxReminders: 3,
  stopped: false,
};

const { everyDays: E, maxReminders: M } = REMINDER_BOUNDS;
const ReminderScheduleSchema = z.strictObject({
  everyDays: z
    .number()
    .int()
    .min(E.min, { message: `must be at least ${E.min} days` })
    .max(E.max, { message: `must be at most ${E.max} days` }),
  maxReminders: z
    .number()
    .int()
    .min(M.min, { message: `must be at least ${M.min}` })
    .max(M.max, { message: `must be at most ${M.max}` }),
  stopped: z.boolean(),
});

async function scheduleOf(tx: Tx, participantId: string): Promise<ReminderSchedule> {
  const [row] = await tx
    .select()
    .from(consentReminderSchedules)
    .where(eq(consentReminderSchedules.participantId, participantId));
  return row
    ? { everyDays: row.everyDays, maxReminders: row.maxReminders, stopped: row.stopped }
    : DEFAULT_REMINDER_SCHEDULE;
}

/** The signed-in participant's reminder schedule (the default until they change it). */
export async function myReminderSchedule(tx: Tx, actor: Actor | null): Promise<ReminderSchedule> {
  const participant = await signedInParticipant(tx, actor, { lock: false });
  return scheduleOf(tx, participant.id);
}

/**
 * The signed-in participant changes or stops their reminders, audited. Out of bounds (every
 * 7–90 days, 1–10 reminders per request) is refused and changes nothing.
 */
export async function setReminderSchedule(
  tx: Tx,
  actor: Actor | null,
  input: unknown,
): Promise<ReminderSchedule> {
  const next = parseInput(ReminderScheduleSchema, input);
  const participant = await signedInParticipant(tx, actor, { lock: true });
  await tx
    .insert(consentReminderSchedules)
    .values({ participantId: participant.id, ...next, updatedAt: new Date() })
    .onConflictDoUpdate({
      target: consentReminderSchedules.participantId,
      set: { ...next, updatedAt: new Date() },
    });
  await appendParticipantEvent(tx, actor, 'consent_request.reminders.set', participant.id, {
    ...next,
  });
  return next;
}

const WORKFLOW = systemActor('workflow');

/**
 * A worker round: reminds participants of pending consent requests that waited a full interval
 * of their schedule since they were opened or last reminded, up to the schedule's maximum, not
 * at all when stopped. Claims the requests with `FOR UPDATE SKIP LOCKED`, so several instances
 * may run it. Each reminder is audited and notified (about their own data: not gated by
 * recontact). Answers how many were sent.
 */
export async function sendDueReminders(db: Database, now = new Date()): Promise<{ sent: number }> {
  return db.transaction(async (tx) => {
    const every = sql`coalesce(${consentReminderSchedules.everyDays}, ${DEFAULT_REMINDER_SCHEDULE.everyDays})`;
    const max = sql`coalesce(${consentReminderSchedules.maxReminders}, ${DEFAULT_REMINDER_SCHEDULE.maxReminders})`;
    const due = await tx
      .select({
        id: consentRequests.id,
        participantId: consentRequests.participantId,
        studyId: consentRequests.studyId,
        title: studies.title,
        userId: participants.userId,
      })
      .from(consentRequests)
      .innerJoin(studies, eq(studies.id, consentRequests.studyId))
      .innerJoin(participants, eq(participants.id, consentRequests.participantId))
      .leftJoin(
        consentReminderSchedules,
        eq(consentReminderSchedules.participantId, consentRequests.participantId),
      )
      .where(
        and(
          eq(consentRequests.status, 'pending'),
          sql`not coalesce(${consentReminderSchedules.stopped}, false)`,
          lt(consentRequests.remindersSent, max),
          sql`coalesce(${consentRequests.lastRemindedAt}, ${consentRequests.createdAt}) + make_interval(days => ${every}) <= ${now.toISOString()}::timestamptz`,
        ),
      )
      .limit(1_000)
      .for('update', { of: consentRequests, skipLocked: true });
    if (due.length === 0) return { sent: 0 };
    for (const r of due)
      await tx
        .update(consentRequests)
        .set({ remindersSent: sql`${consentRequests.remindersSent} + 1`, lastRemindedAt: now })
        .where(eq(consentRequests.id, r.id));
    await appendAuditEvents(
      tx,
      WORKFLOW,
      due.map((r) => ({
        action: 'consent_request.remind' as const,
        targetType: 'study',
        targetId: r.studyId,
        participantId: r.participantId,
      })),
    );
    for (const r of due)
      if (r.userId)
        await notify(tx, [r.userId], {
          kind: 'consent_request',
          title: {
            en: 'A study is still waiting for your answer',
            es: 'Un estudio sigue esperando su respuesta',
          },
          body: {
            en: `“${r.title}” asked to use your data. You can answer, or change or stop these reminders.`,
            es: `«${r.title}» pidió usar sus datos. Puede contestar, o cambiar o detener estos recordatorios.`,
          },
          link: '/inbox',
        });
    return { sent: due.length };
  });
}

/** Erasure: forgets the participant's reminder schedule (their requests are closed already). */
export async function forgetReminderSchedule(tx: Tx, participantId: string): Promise<void> {
  await tx
    .delete(consentReminderSchedules)
    .where(eq(consentReminderSchedules.participantId, participantId));
}
