import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import type { Actor } from '../actors/actor.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { consentRequests, studyDecisions } from './studies.tables.js';

/** How the people a study asked have answered: counts only, never who. */
export interface ResponseRates {
  asked: number;
  answeredYes: number;
  answeredNo: number;
  waiting: number;
  /** Reminders sent for the study's requests, all together. */
  remindersSent: number;
}

/**
 * A study's response rates: requests opened, answered yes or no (the participant's latest
 * decision on the study), still waiting, and the reminders sent. The caller has already checked
 * the study is visible to the viewer; no participant is named or returned. The read is audited
 * (figures about participants, like the study's cohort figures).
 */
export async function responseRates(
  tx: Tx,
  actor: Actor | null,
  studyId: string,
): Promise<ResponseRates> {
  const latest = tx
    .selectDistinctOn([studyDecisions.participantId], {
      participantId: studyDecisions.participantId,
      decision: studyDecisions.decision,
    })
    .from(studyDecisions)
    .where(eq(studyDecisions.studyId, studyId))
    .orderBy(studyDecisions.participantId, sql`${studyDecisions.version} desc`)
    .as('latest');
  const [row] = await tx
    .select({
      asked: sql<number>`count(*)::int`,
      yes: sql<number>`count(*) filter (where ${consentRequests.status} = 'answered' and ${latest.decision} = 'permit')::int`,
      no: sql<number>`count(*) filter (where ${consentRequests.status} = 'answered' and ${latest.decision} = 'deny')::int`,
      waiting: sql<number>`count(*) filter (where ${consentRequests.status} = 'pending')::int`,
      reminders: sql<number>`coalesce(sum(${consentRequests.remindersSent}), 0)::int`,
    })
    .from(consentRequests)
    .leftJoin(latest, and(eq(latest.participantId, consentRequests.participantId)))
    .where(eq(consentRequests.studyId, studyId));
  const rates = {
    asked: row?.asked ?? 0,
    answeredYes: row?.yes ?? 0,
    answeredNo: row?.no ?? 0,
    waiting: row?.waiting ?? 0,
    remindersSent: row?.reminders ?? 0,
  };
  await appendAuditEvent(tx, actor, {
    action: 'study.consent_responses.read',
    targetType: 'study',
    targetId: studyId,
    payload: { asked: rates.asked },
  });
  return rates;
}
