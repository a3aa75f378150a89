import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { consentRequests, studyDecisions } from './studies.tables.js';

/** How the people a study asked have answered: counts only, never who. */
export interface ResponseRates {
  asked: number;
  answeredYes: number;
  answeredNo: number;
  waiting: number;
}

/**
 * A study's response rates: requests opened, answered yes or no (the participant's latest
 * decision on the study), and still waiting. The caller has already checked the study is visible
 * to the viewer; no participant is named or returned.
 */
export async function responseRates(tx: Tx, studyId: string): Promise<ResponseRates> {
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
    })
    .from(consentRequests)
    .leftJoin(latest, and(eq(latest.participantId, consentRequests.participantId)))
    .where(eq(consentRequests.studyId, studyId));
  return {
    asked: row?.asked ?? 0,
    answeredYes: row?.yes ?? 0,
    answeredNo: row?.no ?? 0,
    waiting: row?.waiting ?? 0,
  };
}
