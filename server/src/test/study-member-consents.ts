import { eq } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import type { CombinedMatchResult } from '../modules/consent/duo/match-across-datasets.js';
import type { ResearchPurpose } from '../modules/consent/duo/match-types.js';
import { memberConsents, type MemberConsent } from '../modules/studies/study-cohort.js';
import { studies } from '../modules/studies/studies.tables.js';

/** A study as its row stores it. */
export type StudyRow = typeof studies.$inferSelect;

/**
 * How consent stands for some candidates of a study, by the rule exports and election outcomes
 * apply (`memberConsents` over the study's stored purpose and DUO match). `candidates` picks the
 * participant numbers to judge from the study's row.
 */
export async function studyMemberConsents(
  db: Database,
  studyId: string,
  candidates: (study: StudyRow) => readonly number[],
): Promise<MemberConsent[]> {
  const [study] = await db.select().from(studies).where(eq(studies.id, studyId));
  if (!study) throw new Error(`no study ${studyId}`);
  return db.transaction((tx) =>
    memberConsents(
      tx,
      {
        id: study.id,
        status: study.status,
        purpose: study.purpose as ResearchPurpose,
        match: study.match as CombinedMatchResult,
      },
      candidates(study),
    ),
  );
}
