import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { users } from '../accounts/accounts.tables.js';
import type { Actor } from '../actors/actor.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import type { CohortCounter } from '../cohorts/cohort-counter.js';
import type { CohortCriteria } from '../cohorts/cohort-criteria.js';
import type { CohortIndex } from '../cohorts/cohort-index.js';
import type { CombinedMatchResult } from '../consent/duo/match-across-datasets.js';
import type { ResearchPurpose } from '../consent/duo/match-types.js';
import { activeDacMemberIds, dacById } from '../dacs/dac-reads.js';
import { grantedDatasets } from '../grants/grant-terms.js';
import { issueGrant } from '../grants/grants.service.js';
import { askWhoMustBeAsked } from '../studies/ask-participants.js';
import type { StudyRow } from '../studies/study-access.js';
import { memberConsents, studyCandidates } from '../studies/study-cohort.js';
import { freezeStudyCohort } from '../studies/study-cohort-figures.js';
import { decideElection, electionsOfStudy, type ElectionRow } from '../studies/study-elections.js';
import { transition } from '../studies/study-lifecycle.js';
import { conflictedMembers } from './member-election.js';
import { boardDecision } from './review-rules.js';
import { reviewVotes } from './review.tables.js';
import { takesPart } from './takes-part.js';

/** A vote row. */
export type VoteRow = typeof reviewVotes.$inferSelect;

/** What a decision needs from the configuration (the rules themselves are per committee). */
export interface ReviewSettings {
  grantDefaultMonths: number;
}

/** The votes cast in one election, oldest first. */
export function votesInElection(tx: Tx, electionId: string): Promise<VoteRow[]> {
  return tx
    .select()
    .from(reviewVotes)
    .where(eq(reviewVotes.electionId, electionId))
    .orderBy(asc(reviewVotes.createdAt));
}

/**
 * The chair whose vote decides, when the committee has one who can vote on this request: a chair
 * who is disabled, declared a conflict or takes part in the study leaves the decision to the
 * majority rather than blocking it for ever.
 */
async function votingChair(
  tx: Tx,
  chairId: string | null,
  eligible: readonly string[],
  study: StudyRow,
): Promise<string | null> {
  if (!chairId || !eligible.includes(chairId)) return null;
  const [chair] = await tx.select().from(users).where(eq(users.id, chairId));
  return chair && !takesPart(chair, study) ? chair.id : null;
}

/**
 * Counts one election against its committee's rules and records the decision once there is
 * one. Members who declared a conflict are out of the count: the quorum is the committee's,
 * capped at the members left to vote (so a committee whose members stood aside can still decide).
 */
export async function tallyElection(
  tx: Tx,
  actor: Actor | null,
  election: ElectionRow,
  study: StudyRow,
): Promise<'approved' | 'rejected' | null> {
  const dac = await dacById(tx, election.dacId);
  const conflicted = await conflictedMembers(tx, election.id);
  const eligible = (await activeDacMemberIds(tx, dac.id)).filter((m) => !conflicted.includes(m));
  const votes = await votesInElection(tx, election.id);
  const decision = boardDecision(
    votes.map((v) => ({ memberId: v.memberId, vote: v.vote as 'approve' | 'reject' })),
    {
      quorum: Math.min(dac.quorum, Math.max(1, eligible.length)),
      chairId: await votingChair(tx, dac.chairId, eligible, study),
    },
  );
  if (!decision) return null;
  await recordElectionDecision(tx, actor, 'review.election.decide', election, decision, votes);
  return decision;
}

/**
 * Records a committee's decision on its election and audits it with the count it rests on, the
 * same whichever way it was reached: `action` tells the tally (`review.election.decide`) from
 * the chair closing an overdue election (`review.election.close_overdue`).
 */
export async function recordElectionDecision(
  tx: Tx,
  actor: Actor | null,
  action: 'review.election.decide' | 'review.election.close_overdue',
  election: ElectionRow,
  decision: 'approved' | 'rejected',
  votes: readonly VoteRow[],
): Promise<void> {
  await decideElection(tx, election.id, decision);
  await appendAuditEvent(tx, actor, {
    action,
    targetType: 'study',
    targetId: election.studyId,
    payload: {
      dac: election.dacId,
      decision,
      datasets: election.datasetIds,
      votes: votes.length,
      approvals: votes.filter((v) => v.vote === 'approve').length,
    },
  });
}

/**
 * Moves the request on once its committees have spoken: under review while any election is
 * open; then approved when at least one committee approved, with a grant covering only the
 * approving committees' datasets, or rejected when none did.
 */
export async function settleStudy(
  tx: Tx,
  actor: Actor | null,
  counter: CohortCounter,
  index: CohortIndex,
  settings: ReviewSettings,
  study: StudyRow,
): Promise<StudyRow> {
  const elections = await electionsOfStudy(tx, study.id);
  if (elections.some((e) => e.status === 'open'))
    return transition(tx, actor, study.id, 'under_review');
  const approved = elections.filter((e) => e.status === 'approved');
  const decision = approved.length > 0 ? 'approved' : 'rejected';
  const votes = await tx
    .select()
    .from(reviewVotes)
    .where(
      and(
        eq(reviewVotes.studyId, study.id),
        inArray(
          reviewVotes.electionId,
          elections.map((e) => e.id),
        ),
      ),
    )
    .orderBy(asc(reviewVotes.createdAt));
  // The votes that carried each committee's decision: their rationales and conditions.
  const outcome = new Map(elections.map((e) => [e.id, e.status]));
  const deciding = votes.filter(
    (v) => (outcome.get(v.electionId!) === 'approved') === (v.vote === 'approve'),
  );
  const moved = await transition(tx, actor, study.id, decision, {
    set: {
      decisionRationale: deciding.map((v) => v.rationale).join('\n\n'),
      decidedAt: new Date(),
    },
    payload: {
      votes: votes.length,
      approvals: votes.filter((v) => v.vote === 'approve').length,
      committees: elections.map((e) => ({ dac: e.dacId, decision: e.status })),
    },
  });
  // The cohort figures stop moving with the decision (exact for the board, protected for the owner).
  const decided = await freezeStudyCohort(tx, counter, index, moved);
  if (decision === 'approved') {
    const approvedDatasetIds = approved.flatMap((e) => e.datasetIds);
    const match = study.match as CombinedMatchResult;
    const scope = grantedDatasets(match).filter((d) => approvedDatasetIds.includes(d));
    const members = await memberConsents(
      tx,
      { id: study.id, status: study.status, purpose: study.purpose as ResearchPurpose, match },
      studyCandidates(index, study.cohortCriteria as CohortCriteria, scope),
    );
    await issueGrant(tx, actor!, {
      study: decided,
      members,
      boardConditions: deciding
        .filter((v) => outcome.get(v.electionId!) === 'approved')
        .flatMap((v) => v.conditions),
      defaultMonths: settings.grantDefaultMonths,
      approvedDatasetIds,
    });
    // Asked now, whenever CONSENT_REQUESTS_WHEN says: those asked at submission are not asked
    // again, and those who joined the cohort since are (late-joiners.ts asks any who come later).
    await askWhoMustBeAsked(tx, actor, decided, members);
  }
  return decided;
}
