import type { Tx } from '../../db/database.js';
import type { Actor } from '../actors/actor.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import type { CohortCriteria } from '../cohorts/cohort-criteria.js';
import type { CohortIndex } from '../cohorts/cohort-index.js';
import type { ConsentSplit } from '../cohorts/consent-breakdown.js';
import { consentReasons, type ConsentReason } from '../cohorts/consent-reasons.js';
import { preferenceBreakdown } from '../cohorts/preference-breakdown.js';
import { RoaringBitmap32 } from '../cohorts/roaring.js';
import type { ResearchPurpose } from '../consent/duo/match-types.js';
import type { ResearchPurposeArgs } from '../consent/research-purpose-args.js';
import type { StudyRow } from '../studies/study-access.js';
import { studyCandidates } from '../studies/study-cohort.js';
import { assertCanSeeReviewQueue } from './review.policy.js';

/** Members by what their consent says: exact counts (the board sees exact cohort figures). */
export interface OutlookFigures {
  permitted: number;
  ask: number;
  excluded: number;
}

/** What approving with one condition would do to the cohort. */
export interface ConditionOutlook {
  key: 'exclude_commercial' | 'permitted_only' | 'signed_only';
  condition: string;
  plain: string;
  figures: OutlookFigures;
}

/** The requested cohort's consent, its reasons and the effect of each suggested condition. */
export interface ConsentOutlook {
  total: number;
  figures: OutlookFigures;
  reasons: ConsentReason[];
  conditions: ConditionOutlook[];
}

const figuresOf = (s: ConsentSplit): OutlookFigures => ({
  permitted: s.permitted.size,
  ask: s.ask.size,
  excluded: s.excluded.size,
});

const dispose = (s: ConsentSplit) => {
  for (const b of [s.permitted, s.permittedSigned, s.ask, s.excluded]) b.dispose();
};

function argsOf(purpose: ResearchPurpose, commercial = purpose.commercial): ResearchPurposeArgs {
  return {
    primary: purpose.primary,
    diseases: [...purpose.diseases],
    commercial,
    sensitive: [...purpose.sensitive],
    otherText: purpose.otherText ?? null,
  };
}

/**
 * How the consent of a submitted study's requested cohort breaks down, for the board: permitted,
 * to be asked and excluded with the reasons (counts only), and, for each condition the board
 * could attach, the figures approving with it would give. It reuses the cohort index's consent
 * breakdown (standing preferences as set algebra: answers to this study's own request are in the
 * study's cohort figures, not here). Board and admins only, exact like their cohort figures,
 * and audited as a read of participant-level consent. Null before submission.
 */
export async function consentOutlook(
  tx: Tx,
  actor: Actor | null,
  index: CohortIndex,
  study: StudyRow,
): Promise<ConsentOutlook | null> {
  assertCanSeeReviewQueue(actor);
  if (!study.cohortCriteria || !study.match) return null;
  const purpose = study.purpose as ResearchPurpose;
  const members = new RoaringBitmap32(
    studyCandidates(index, study.cohortCriteria as CohortCriteria, study.datasetIds),
  );
  const split = await preferenceBreakdown.split(tx, index, members, argsOf(purpose));
  try {
    const figures = figuresOf(split);
    const conditions: ConditionOutlook[] = [];
    if (purpose.commercial) {
      const nonCommercial = await preferenceBreakdown.split(
        tx,
        index,
        members,
        argsOf(purpose, false),
      );
      try {
        conditions.push({
          key: 'exclude_commercial',
          condition: 'Exclude commercial use',
          plain: 'Those who said no to commercial use only can take part.',
          figures: figuresOf(nonCommercial),
        });
      } finally {
        dispose(nonCommercial);
      }
    }
    conditions.push({
      key: 'permitted_only',
      condition: 'Only participants who already permit it',
      plain: 'No one is asked: those who would have been asked are left out.',
      figures: { permitted: figures.permitted, ask: 0, excluded: figures.excluded + figures.ask },
    });
    const signed = split.permittedSigned.size;
    conditions.push({
      key: 'signed_only',
      condition: 'Only consent the participant signed with their own passkey',
      plain: 'Permissions the institution recorded for them are confirmed by asking first.',
      figures: {
        permitted: signed,
        ask: figures.ask + figures.permitted - signed,
        excluded: figures.excluded,
      },
    });
    const outlook: ConsentOutlook = {
      total: members.size,
      figures,
      reasons: consentReasons(index, split, purpose),
      conditions,
    };
    await appendAuditEvent(tx, actor, {
      action: 'review.consent_outlook.read',
      targetType: 'study',
      targetId: study.id,
      payload: { members: outlook.total, conditions: conditions.map((c) => c.key) },
    });
    return outlook;
  } finally {
    dispose(split);
    members.dispose();
  }
}
