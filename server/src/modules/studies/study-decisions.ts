import { createHash, randomUUID } from 'node:crypto';
import { and, desc, eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { canonicalJson } from '../audit/audit-hash.js';
import { enqueueConsentRecord } from '../chain/outbox.service.js';
import { chainSubject } from '../chain/subject-pseudonym.js';
import { recordCohortChange } from '../cohort-changes/cohort-changes.js';
import { studyDecisions } from './studies.tables.js';

/** A participant's answer to one study. */
export type StudyDecision = 'permit' | 'deny';

/**
 * Records a participant's decision on a study as a new version, and enqueues it for the chain
 * under their pseudonymous subject with scope `study:<id>` (a study id is not personal data).
 * The caller audits; the cohort change log makes counts see it at once.
 */
export async function recordStudyDecision(
  tx: Tx,
  participant: { id: string; num: number },
  studyId: string,
  decision: StudyDecision,
): Promise<{ version: number }> {
  const [last] = await tx
    .select({ version: studyDecisions.version })
    .from(studyDecisions)
    .where(
      and(eq(studyDecisions.participantId, participant.id), eq(studyDecisions.studyId, studyId)),
    )
    .orderBy(desc(studyDecisions.version))
    .limit(1);
  const version = (last?.version ?? 0) + 1;
  await tx
    .insert(studyDecisions)
    .values({ participantId: participant.id, studyId, version, decision });
  const subject = await chainSubject(tx, participant.id);
  const evidence = createHash('sha256')
    .update(canonicalJson({ subject, study: studyId, decision, version }), 'utf8')
    .digest('hex');
  await enqueueConsentRecord(tx, {
    event_id: `study-decision:${randomUUID()}`,
    subject,
    scope: `study:${studyId}`,
    decision,
    version,
    evidence,
    time: String(Math.floor(Date.now() / 1000)),
  });
  await recordCohortChange(tx, 'participant', participant.num);
  return { version };
}

/**
 * The newest version per key among versioned rows (preferences per participant, decisions per
 * study or per participant): the one place that says "latest wins".
 */
export function latestVersions<T extends { version: number }>(
  rows: Iterable<T>,
  key: (row: T) => string,
): Map<string, T> {
  const latest = new Map<string, T>();
  for (const row of rows) {
    const seen = latest.get(key(row));
    if (!seen || seen.version < row.version) latest.set(key(row), row);
  }
  return latest;
}
