import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import type { Actor } from '../actors/actor.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import type { CohortCounter, SetProtector } from '../cohorts/cohort-counter.js';
import type { CohortCriteria } from '../cohorts/cohort-criteria.js';
import type { CohortIndex } from '../cohorts/cohort-index.js';
import type { ProtectedCount } from '../cohorts/count-privacy.js';
import { RoaringBitmap32 } from '../cohorts/roaring.js';
import type { CombinedMatchResult } from '../consent/duo/match-across-datasets.js';
import type { ResearchPurpose } from '../consent/duo/match-types.js';
import { participants } from '../participants/participants.tables.js';
import { consentRequests, studies } from './studies.tables.js';
import type { StudyRow } from './study-access.js';
import { memberConsents, studyCandidates } from './study-cohort.js';
import { seesExactCohortFigures } from './studies.policy.js';

/** A study's cohort figures: members by effective consent, and the consent requests so far. */
export interface StudyFigures {
  permitted: ProtectedCount;
  ask: ProtectedCount;
  excluded: ProtectedCount;
  requests: { pending: ProtectedCount; permitted: ProtectedCount; declined: ProtectedCount };
}

/** What a viewer sees of a study's cohort. */
export interface StudyCohortView extends StudyFigures {
  /** True for the board (and admins): exact figures. */
  exact: boolean;
  /** When the figures were frozen (decision or withdrawal); null while they are live. */
  frozenAt: Date | null;
}

/** Stored in `studies.cohort_snapshot` when the study is decided or withdrawn. */
export interface StudyCohortSnapshot {
  frozenAt: string;
  /** The status the study moved to. */
  status: string;
  /** True figures, for the board. */
  exact: StudyFigures;
  /** What the owner is shown, protected by the counter at the moment of freezing. */
  shown: StudyFigures;
}

type FigureSets = {
  [K in keyof StudyFigures]: K extends 'requests'
    ? Record<keyof StudyFigures['requests'], RoaringBitmap32>
    : RoaringBitmap32;
};

const exactly = (set: RoaringBitmap32): ProtectedCount => ({
  count: set.size,
  display: String(set.size),
});

function figures(sets: FigureSets, show: SetProtector): StudyFigures {
  return {
    permitted: show(sets.permitted),
    ask: show(sets.ask),
    excluded: show(sets.excluded),
    requests: {
      pending: show(sets.requests.pending),
      permitted: show(sets.requests.permitted),
      declined: show(sets.requests.declined),
    },
  };
}

function disposeSets(sets: FigureSets): void {
  for (const s of [sets.permitted, sets.ask, sets.excluded, ...Object.values(sets.requests)])
    s.dispose();
}

/**
 * The participant sets behind a submitted study's figures, read in the caller's transaction
 * (effective consent from the database, so an answer a moment ago counts). Null before
 * submission (no cohort or no DUO match yet). The caller disposes the sets.
 */
async function figureSets(tx: Tx, index: CohortIndex, study: StudyRow): Promise<FigureSets | null> {
  if (!study.cohortCriteria || !study.match) return null;
  const members = await memberConsents(
    tx,
    {
      id: study.id,
      status: study.status,
      purpose: study.purpose as ResearchPurpose,
      match: study.match as CombinedMatchResult,
    },
    studyCandidates(index, study.cohortCriteria as CohortCriteria, study.datasetIds),
  );
  const sets: FigureSets = {
    permitted: new RoaringBitmap32(),
    ask: new RoaringBitmap32(),
    excluded: new RoaringBitmap32(),
    requests: {
      pending: new RoaringBitmap32(),
      permitted: new RoaringBitmap32(),
      declined: new RoaringBitmap32(),
    },
  };
  const consent = new Map(members.map((m) => [m.num, m.consent]));
  for (const m of members)
    (m.consent === 'permit' ? sets.permitted : m.consent === 'ask' ? sets.ask : sets.excluded).add(
      m.num,
    );
  const rows = await tx
    .select({ status: consentRequests.status, num: participants.num })
    .from(consentRequests)
    .innerJoin(participants, eq(participants.id, consentRequests.participantId))
    .where(eq(consentRequests.studyId, study.id));
  for (const r of rows) {
    if (r.status === 'pending') sets.requests.pending.add(r.num);
    else if (r.status === 'answered')
      (consent.get(r.num) === 'permit' ? sets.requests.permitted : sets.requests.declined).add(
        r.num,
      );
  }
  return sets;
}

/**
 * The consent picture of a submitted study's cohort. The board (and admins) see exact figures;
 * the owner sees them through the process's one counter, exactly as `cohortCount` shows counts:
 * within their daily budget, suppressed below the minimum cell count, with deterministic noise,
 * and the earlier answer for a set near one they saw through any door — so two studies that
 * differ by one person cannot reveal that person's consent. Once the study is decided or
 * withdrawn the figures are the frozen snapshot (no budget, nothing new to difference).
 * Audited: it reads participant-level consent. `index` comes from `counter.index()` before
 * the transaction opens.
 */
export async function studyCohortSummary(
  tx: Tx,
  actor: Actor | null,
  counter: CohortCounter,
  index: CohortIndex,
  study: StudyRow,
): Promise<StudyCohortView | null> {
  const exact = actor?.kind === 'system' || seesExactCohortFigures(actor);
  const snapshot = study.cohortSnapshot as StudyCohortSnapshot | null;
  let view: StudyCohortView | null = null;
  if (snapshot) {
    view = {
      ...(exact ? snapshot.exact : snapshot.shown),
      exact,
      frozenAt: new Date(snapshot.frozenAt),
    };
  } else {
    const sets = await figureSets(tx, index, study);
    if (!sets) return null;
    try {
      let show: SetProtector = exactly;
      if (!exact && actor?.kind === 'user') {
        await counter.spendBudget(tx, actor.userId);
        show = await counter.protector(tx, actor.userId);
      }
      view = { ...figures(sets, show), exact, frozenAt: null };
    } finally {
      disposeSets(sets);
    }
  }
  await appendAuditEvent(tx, actor, {
    action: 'study.cohort.read',
    targetType: 'study',
    targetId: study.id,
    payload: { exact, frozen: Boolean(snapshot) },
  });
  return view;
}

/**
 * Freezes a study's cohort figures as it is decided or withdrawn, in the same transaction: the
 * exact figures for the board, and the owner's figures protected by the counter under the
 * owner's key (so they are the same the owner would have been shown, guard included). Later
 * reads show the snapshot, never a live figure: a closed study is no free counting oracle.
 * Nothing is frozen for a study that never had a cohort summary (a withdrawn draft). Answers
 * the study row as stored afterwards.
 */
export async function freezeStudyCohort(
  tx: Tx,
  counter: CohortCounter,
  index: CohortIndex,
  study: StudyRow,
): Promise<StudyRow> {
  const sets = await figureSets(tx, index, study);
  if (!sets) return study;
  try {
    const snapshot: StudyCohortSnapshot = {
      frozenAt: new Date().toISOString(),
      status: study.status,
      exact: figures(sets, exactly),
      shown: figures(sets, await counter.protector(tx, study.ownerId)),
    };
    const [frozen] = await tx
      .update(studies)
      .set({ cohortSnapshot: snapshot })
      .where(eq(studies.id, study.id))
      .returning();
    return frozen!;
  } finally {
    disposeSets(sets);
  }
}
