import { and, eq, inArray } from 'drizzle-orm';
import type { ConsentRequestTiming } from '../../config.js';
import type { Database } from '../../db/database.js';
import { systemActor } from '../actors/actor.js';
import type { CohortCriteria } from '../cohorts/cohort-criteria.js';
import type { CohortIndex } from '../cohorts/cohort-index.js';
import type { CombinedMatchResult } from '../consent/duo/match-across-datasets.js';
import type { ResearchPurpose } from '../consent/duo/match-types.js';
import { participants } from '../participants/participants.tables.js';
import { askingTimeOf } from '../dacs/dacs.service.js';
import { askWhoMustBeAsked } from './ask-participants.js';
import { consentRequests, studies } from './studies.tables.js';
import { memberConsents, studyCandidates } from './study-cohort.js';

const WORKFLOW = systemActor('workflow');

/**
 * A worker round: people who entered a study's cohort after it asked (a new ingest, a new
 * enrolment, changed phenotypes) are asked as they arrive, if their consent says "ask". Covers
 * approved studies, and those still under review where a deciding committee asks before its
 * decision (its own setting, or CONSENT_REQUESTS_WHEN for a committee without one). Each study is one transaction; candidates already asked are skipped before their
 * consent is read. `index` must be current. Answers how many were asked.
 */
export async function askLateJoiners(
  db: Database,
  index: CohortIndex,
  when: ConsentRequestTiming,
): Promise<{ asked: number }> {
  const open = await db
    .select()
    .from(studies)
    .where(inArray(studies.status, ['approved', 'submitted', 'under_review']));
  let asked = 0;
  for (const study of open) {
    if (!study.cohortCriteria || !study.match) continue;
    asked += await db.transaction(async (tx) => {
      // Under review only where a deciding committee asks before its decision (or the server
      // default `when` does, for a committee without its own setting).
      const statuses =
        (await askingTimeOf(tx, study.datasetIds, when)) === 'before_decision'
          ? ['approved', 'submitted', 'under_review']
          : ['approved'];
      if (!statuses.includes(study.status)) return 0;
      // Lock the study row so two instances do not ask the same people at once.
      const [locked] = await tx
        .select({ status: studies.status })
        .from(studies)
        .where(eq(studies.id, study.id))
        .for('update');
      if (!locked || !statuses.includes(locked.status)) return 0;
      const candidates = studyCandidates(
        index,
        study.cohortCriteria as CohortCriteria,
        study.datasetIds,
      );
      if (candidates.length === 0) return 0;
      const askedNums = new Set(
        (
          await tx
            .select({ num: participants.num })
            .from(consentRequests)
            .innerJoin(participants, eq(participants.id, consentRequests.participantId))
            .where(and(eq(consentRequests.studyId, study.id)))
        ).map((r) => r.num),
      );
      const fresh = candidates.filter((n) => !askedNums.has(n));
      if (fresh.length === 0) return 0;
      const members = await memberConsents(
        tx,
        {
          id: study.id,
          status: locked.status,
          purpose: study.purpose as ResearchPurpose,
          match: study.match as CombinedMatchResult,
        },
        fresh,
      );
      return askWhoMustBeAsked(tx, WORKFLOW, study, members);
    });
  }
  return { asked };
}
