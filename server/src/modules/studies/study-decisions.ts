import { and, desc, eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { enqueueConsentRecord } from '../chain/outbox.service.js';
import { chainSubject } from '../chain/subject-pseudonym.js';
import { recordCohortChange } from '../cohort-changes/cohort-changes.js';
import { vouchedRecords, type ConsentSigning } from '../passkeys/signed-consent.js';
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
  signing?: ConsentSigning,
): Promise<{ version: number; signedWith: string | null }> {
  const [last] = await tx
    .select({ version: studyDecisions.version })
    .from(studyDecisions)
    .where(
      and(eq(studyDecisions.participantId, participant.id), eq(studyDecisions.studyId, studyId)),
    )
    .orderBy(desc(studyDecisions.version))
    .limit(1);
  const version = (last?.version ?? 0) + 1;
  const subject = await chainSubject(tx, participant.id);
  const { items, signedWith } = await vouchedRecords(
    tx,
    participant.id,
    {
      origin: 'study-decision',
      subject,
      version,
      evidence: { subject, study: studyId, decision, version },
      decisions: [{ scope: `study:${studyId}`, decision }],
    },
    signing,
  );
  await tx
    .insert(studyDecisions)
    .values({ participantId: participant.id, studyId, version, decision, signedWith });
  for (const item of items) await enqueueConsentRecord(tx, item);
  await recordCohortChange(tx, 'participant', participant.num);
  return { version, signedWith };
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
