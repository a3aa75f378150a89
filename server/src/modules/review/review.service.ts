import { randomUUID } from 'node:crypto';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { ConflictError, ValidationError } from '../../errors/app-errors.js';
import { parseInput } from '../../errors/parse-input.js';
import { users } from '../accounts/accounts.tables.js';
import { hasRole, type Actor } from '../actors/actor.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import type { CohortCounter } from '../cohorts/cohort-counter.js';
import type { CohortIndex } from '../cohorts/cohort-index.js';
import type { CombinedMatchResult } from '../consent/duo/match-across-datasets.js';
import { dacMembers } from '../dacs/dacs.tables.js';
import { studies, studyElections } from '../studies/studies.tables.js';
import { visibleStudy, type StudyRow } from '../studies/study-access.js';
import { VoteSchema } from '../studies/study-input.js';
import {
  settleStudy,
  tallyElection,
  type ReviewSettings,
  type VoteRow,
} from './election-outcome.js';
import { hasDeclaredConflict, memberElection } from './member-election.js';
import { ConflictSchema } from './review-input.js';
import { assertCanSeeReviewQueue, assertCanVote } from './review.policy.js';
import { reviewConflicts, reviewVotes } from './review.tables.js';
import { takesPart } from './takes-part.js';

export type { ReviewSettings, VoteRow } from './election-outcome.js';

const OPEN = ['submitted', 'under_review'];

/**
 * The review queue, the longest waiting first: for a board member, the open requests on which
 * one of their committees holds an election; for an admin, every open request.
 */
export async function reviewQueue(tx: Tx, actor: Actor | null): Promise<StudyRow[]> {
  assertCanSeeReviewQueue(actor);
  const filters = [inArray(studies.status, OPEN)];
  if (hasRole(actor, 'ethics_board')) {
    const ours = tx
      .select({ studyId: studyElections.studyId })
      .from(studyElections)
      .innerJoin(dacMembers, eq(dacMembers.dacId, studyElections.dacId))
      .where(eq(dacMembers.userId, actor.userId));
    filters.push(inArray(studies.id, ours));
  }
  return tx
    .select()
    .from(studies)
    .where(and(...filters))
    .orderBy(asc(studies.submittedAt));
}

/** The votes on a study, oldest first. */
export function votesOn(tx: Tx, studyId: string): Promise<VoteRow[]> {
  return tx
    .select()
    .from(reviewVotes)
    .where(eq(reviewVotes.studyId, studyId))
    .orderBy(asc(reviewVotes.createdAt));
}

/**
 * A board member votes once in their committee's election on an open request, with a rationale
 * (a rejection must say why) and conditions. Approving when the DUO match denied one of the
 * committee's datasets needs an override reason. A member who takes part in the study (owner or
 * named collaborator) or declared a conflict of interest may not vote. Once the committee
 * decides, and every committee has, the request is approved (and the grant issued over the
 * approved committees' datasets) or rejected, in the same transaction.
 */
export async function castVote(
  tx: Tx,
  actor: Actor | null,
  counter: CohortCounter,
  index: CohortIndex,
  settings: ReviewSettings,
  input: unknown,
): Promise<{ vote: VoteRow; study: StudyRow }> {
  const data = parseInput(VoteSchema, input);
  assertCanVote(actor);
  const study = await openStudy(tx, actor, data.studyId);
  const election = await memberElection(tx, actor.userId, study, data.dacId);
  if (await hasDeclaredConflict(tx, election.id, actor.userId))
    throw new ConflictError(
      'You declared a conflict of interest on this request, so you cannot vote',
    );
  const [member] = await tx.select().from(users).where(eq(users.id, actor.userId));
  if (takesPart(member!, study))
    throw new ConflictError('You take part in this study, so you cannot review it');
  const [already] = await tx
    .select({ id: reviewVotes.id })
    .from(reviewVotes)
    .where(and(eq(reviewVotes.electionId, election.id), eq(reviewVotes.memberId, actor.userId)));
  if (already) throw new ConflictError('You have already voted on this study');
  const match = study.match as CombinedMatchResult;
  const denied = match.datasets.filter(
    (d) => d.decision === 'DENY' && election.datasetIds.includes(d.datasetId),
  );
  if (data.vote === 'approve' && denied.length > 0 && !data.overrideReason)
    throw new ValidationError(
      'The DUO match denied a dataset: approving needs an override reason',
      [
        {
          field: 'overrideReason',
          message: `required: the data use of ${denied.map((d) => d.label ?? d.datasetId).join(', ')} does not allow this purpose (approving grants only the other datasets)`,
        },
      ],
    );
  const [vote] = await tx
    .insert(reviewVotes)
    .values({
      id: randomUUID(),
      studyId: study.id,
      electionId: election.id,
      memberId: actor.userId,
      vote: data.vote,
      rationale: data.rationale,
      conditions: data.conditions,
      overrideReason: data.vote === 'approve' ? (data.overrideReason ?? null) : null,
    })
    .returning();
  await appendAuditEvent(tx, actor, {
    action: 'review.vote',
    targetType: 'study',
    targetId: study.id,
    payload: {
      dac: election.dacId,
      vote: data.vote,
      conditions: data.conditions.length,
      override: Boolean(vote!.overrideReason),
    },
  });
  await tallyElection(tx, actor, election, study);
  return { vote: vote!, study: await settleStudy(tx, actor, counter, index, settings, study) };
}

/**
 * A member declares a conflict of interest on a request, for their committee's election: they
 * stand aside (no vote, out of the quorum count). Only before voting: a vote already cast would
 * otherwise be counted by someone who says they should not have cast it. Standing aside can
 * complete the count, so the election and the request may be decided here.
 */
export async function declareConflict(
  tx: Tx,
  actor: Actor | null,
  counter: CohortCounter,
  index: CohortIndex,
  settings: ReviewSettings,
  input: unknown,
): Promise<StudyRow> {
  const data = parseInput(ConflictSchema, input);
  assertCanVote(actor);
  const study = await openStudy(tx, actor, data.studyId);
  const election = await memberElection(tx, actor.userId, study, data.dacId);
  if (await hasDeclaredConflict(tx, election.id, actor.userId))
    throw new ConflictError('You have already declared a conflict of interest on this request');
  const [voted] = await tx
    .select({ id: reviewVotes.id })
    .from(reviewVotes)
    .where(and(eq(reviewVotes.electionId, election.id), eq(reviewVotes.memberId, actor.userId)));
  if (voted)
    throw new ConflictError(
      'You have already voted on this request: a conflict must be declared before voting',
    );
  await tx
    .insert(reviewConflicts)
    .values({ electionId: election.id, memberId: actor.userId, reason: data.reason });
  await appendAuditEvent(tx, actor, {
    action: 'review.conflict.declare',
    targetType: 'study',
    targetId: study.id,
    payload: { dac: election.dacId },
  });
  const decided = await tallyElection(tx, actor, election, study);
  return decided ? settleStudy(tx, actor, counter, index, settings, study) : study;
}

/** A request open for review, locked for the vote. */
async function openStudy(tx: Tx, actor: Actor, studyId: string): Promise<StudyRow> {
  const study = await visibleStudy(tx, actor, studyId, true);
  if (!OPEN.includes(study.status))
    throw new ConflictError(`The study is ${study.status.replace('_', ' ')}; voting is closed`);
  return study;
}
