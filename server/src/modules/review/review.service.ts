import { randomUUID } from 'node:crypto';
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { ConflictError, ValidationError } from '../../errors/app-errors.js';
import { parseInput } from '../../errors/parse-input.js';
import { users } from '../accounts/accounts.tables.js';
import type { Actor } from '../actors/actor.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import type { CohortCounter } from '../cohorts/cohort-counter.js';
import type { CohortCriteria } from '../cohorts/cohort-criteria.js';
import type { CohortIndex } from '../cohorts/cohort-index.js';
import type { CombinedMatchResult } from '../consent/duo/match-across-datasets.js';
import type { ResearchPurpose } from '../consent/duo/match-types.js';
import { grantedDatasets } from '../grants/grant-terms.js';
import { issueGrant } from '../grants/grants.service.js';
import { studies } from '../studies/studies.tables.js';
import { visibleStudy, type StudyRow } from '../studies/study-access.js';
import { memberConsents, studyCandidates } from '../studies/study-cohort.js';
import { askWhoMustBeAsked } from '../studies/ask-participants.js';
import { freezeStudyCohort } from '../studies/study-cohort-figures.js';
import { VoteSchema } from '../studies/study-input.js';
import { transition } from '../studies/study-lifecycle.js';
import { assertCanSeeReviewQueue, assertCanVote } from './review.policy.js';
import { boardDecision } from './review-rules.js';
import { reviewVotes } from './review.tables.js';

/**
 * The chair whose vote decides, if one is configured and can vote on this study: a disabled
 * chair, or one who takes part in the study, leaves the decision to the majority rather than
 * blocking it for ever.
 */
async function activeChair(
  tx: Tx,
  chairEmail: string | null,
  study: StudyRow,
): Promise<string | null> {
  if (!chairEmail) return null;
  const [chair] = await tx
    .select()
    .from(users)
    .where(
      and(eq(users.email, chairEmail), eq(users.role, 'ethics_board'), isNull(users.disabledAt)),
    );
  return chair && !takesPart(chair, study) ? chair.id : null;
}

/** Whether a board member owns the study or is named among its collaborators. */
function takesPart(member: { id: string; email: string; displayName: string }, study: StudyRow) {
  const named = study.collaborators.map((c) => c.toLowerCase());
  return (
    study.ownerId === member.id ||
    named.includes(member.email.toLowerCase()) ||
    named.includes(member.displayName.toLowerCase())
  );
}

/** A vote row. */
export type VoteRow = typeof reviewVotes.$inferSelect;

/** What the decision needs from the configuration. */
export interface ReviewSettings {
  quorum: number;
  chairEmail: string | null;
  grantDefaultMonths: number;
}

const OPEN = ['submitted', 'under_review'];

/** The review queue: submitted and under-review studies, the longest waiting first. */
export async function reviewQueue(tx: Tx, actor: Actor | null): Promise<StudyRow[]> {
  assertCanSeeReviewQueue(actor);
  return tx
    .select()
    .from(studies)
    .where(inArray(studies.status, OPEN))
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
 * A board member votes once on an open study, with a rationale (a rejection must say why) and
 * conditions. Approving a request the DUO match denied needs an override reason. A member who
 * takes part in the study (owner or named collaborator) may not vote. Once the quorum decides,
 * the study is approved (the grant issued, and members whose consent says "ask" and who were
 * not asked yet are asked) or rejected, in the same transaction.
 */
export async function castVote(
  tx: Tx,
  actor: Actor | null,
  counter: CohortCounter,
  index: CohortIndex,
  settings: ReviewSettings,
  input: unknown,
): Promise<{ vote: VoteRow; study: StudyRow }> {
  const { vote, study } = await recordVote(tx, actor, input);
  const outcome = await tallyVotes(tx, settings, study);
  if (!outcome) return { vote, study: await transition(tx, actor, study.id, 'under_review') };
  const moved = await transition(tx, actor, study.id, outcome.decision, {
    set: {
      decisionRationale: outcome.deciding.map((v) => v.rationale).join('\n\n'),
      decidedAt: new Date(),
    },
    payload: {
      votes: outcome.votes.length,
      approvals: outcome.votes.filter((v) => v.vote === 'approve').length,
    },
  });
  // The cohort figures stop moving with the decision (exact for the board, protected for the owner).
  const decided = await freezeStudyCohort(tx, counter, index, moved);
  if (outcome.decision === 'approved') {
    const match = study.match as CombinedMatchResult;
    const members = await memberConsents(
      tx,
      { id: study.id, status: study.status, purpose: study.purpose as ResearchPurpose, match },
      studyCandidates(index, study.cohortCriteria as CohortCriteria, grantedDatasets(match)),
    );
    await issueGrant(tx, actor!, {
      study: decided,
      members,
      boardConditions: outcome.deciding.flatMap((v) => v.conditions),
      defaultMonths: settings.grantDefaultMonths,
    });
    // Asked now, whenever CONSENT_REQUESTS_WHEN says: those asked at submission are not asked
    // again, and those who joined the cohort since are (late-joiners.ts asks any who come later).
    await askWhoMustBeAsked(tx, actor, decided, members);
  }
  return { vote, study: decided };
}

/** Records one board member's vote on an open study (checked and audited); answers it and the study. */
async function recordVote(
  tx: Tx,
  actor: Actor | null,
  input: unknown,
): Promise<{ vote: VoteRow; study: StudyRow }> {
  const data = parseInput(VoteSchema, input);
  assertCanVote(actor);
  const study = await visibleStudy(tx, actor, data.studyId, true);
  if (!OPEN.includes(study.status))
    throw new ConflictError(`The study is ${study.status.replace('_', ' ')}; voting is closed`);
  const [member] = await tx.select().from(users).where(eq(users.id, actor.userId));
  if (takesPart(member!, study))
    throw new ConflictError('You take part in this study, so you cannot review it');
  const [already] = await tx
    .select({ id: reviewVotes.id })
    .from(reviewVotes)
    .where(and(eq(reviewVotes.studyId, study.id), eq(reviewVotes.memberId, actor.userId)));
  if (already) throw new ConflictError('You have already voted on this study');
  const match = study.match as CombinedMatchResult;
  const denied = match.datasets.filter((d) => d.decision === 'DENY');
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
      vote: data.vote,
      conditions: data.conditions.length,
      override: Boolean(vote!.overrideReason),
    },
  });
  return { vote: vote!, study };
}

/**
 * Counts the votes on a study against the quorum and the chair: null while undecided, else the
 * decision, every vote, and the votes that carried it (their rationales and conditions).
 */
async function tallyVotes(
  tx: Tx,
  settings: ReviewSettings,
  study: StudyRow,
): Promise<{ decision: 'approved' | 'rejected'; votes: VoteRow[]; deciding: VoteRow[] } | null> {
  const votes = await votesOn(tx, study.id);
  const chairId = await activeChair(tx, settings.chairEmail, study);
  const decision = boardDecision(
    votes.map((v) => ({ memberId: v.memberId, vote: v.vote as 'approve' | 'reject' })),
    { quorum: settings.quorum, chairId },
  );
  if (!decision) return null;
  const deciding = votes.filter((v) => v.vote === (decision === 'approved' ? 'approve' : 'reject'));
  return { decision, votes, deciding };
}
