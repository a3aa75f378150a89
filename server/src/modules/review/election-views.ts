import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { hasRole, type Actor } from '../actors/actor.js';
import { dacMembers } from '../dacs/dacs.tables.js';
import { studies, studyElections } from '../studies/studies.tables.js';
import type { ElectionRow } from '../studies/study-elections.js';
import { assertCanSeeReviewQueue } from './review.policy.js';
import { reviewConflicts, reviewVotes } from './review.tables.js';

/**
 * The open elections a viewer acts in, the nearest deadline first: a board member's are those
 * of their committees; an admin sees all (to follow them, not to vote).
 */
export async function openElectionsFor(tx: Tx, actor: Actor | null): Promise<ElectionRow[]> {
  assertCanSeeReviewQueue(actor);
  const filters = [
    eq(studyElections.status, 'open'),
    inArray(studies.status, ['submitted', 'under_review']),
  ];
  if (hasRole(actor, 'ethics_board'))
    filters.push(
      inArray(
        studyElections.dacId,
        tx
          .select({ dacId: dacMembers.dacId })
          .from(dacMembers)
          .where(eq(dacMembers.userId, actor.userId)),
      ),
    );
  const rows = await tx
    .select({ election: studyElections })
    .from(studyElections)
    .innerJoin(studies, eq(studies.id, studyElections.studyId))
    .where(and(...filters))
    .orderBy(asc(studyElections.deadlineAt), asc(studyElections.id));
  return rows.map((r) => r.election);
}

/** What a member has done in an election: their vote, if any, and whether they stood aside. */
export async function myPart(
  tx: Tx,
  electionId: string,
  memberId: string,
): Promise<{ vote: string | null; conflict: boolean }> {
  const [vote] = await tx
    .select({ vote: reviewVotes.vote })
    .from(reviewVotes)
    .where(and(eq(reviewVotes.electionId, electionId), eq(reviewVotes.memberId, memberId)));
  const [conflict] = await tx
    .select({ memberId: reviewConflicts.memberId })
    .from(reviewConflicts)
    .where(and(eq(reviewConflicts.electionId, electionId), eq(reviewConflicts.memberId, memberId)));
  return { vote: vote?.vote ?? null, conflict: Boolean(conflict) };
}

/** How many votes an election has, and how many members stood aside. */
export async function electionCounts(
  tx: Tx,
  electionId: string,
): Promise<{ votes: number; conflicts: number }> {
  const votes = await tx
    .select({ id: reviewVotes.id })
    .from(reviewVotes)
    .where(eq(reviewVotes.electionId, electionId));
  const conflicts = await tx
    .select({ m: reviewConflicts.memberId })
    .from(reviewConflicts)
    .where(eq(reviewConflicts.electionId, electionId));
  return { votes: votes.length, conflicts: conflicts.length };
}
