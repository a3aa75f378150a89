/** One vote as the decision rule sees it. */
export interface CastVote {
  memberId: string;
  vote: 'approve' | 'reject';
}

/** How the board decides (REVIEW_QUORUM, REVIEW_CHAIR_EMAIL). */
export interface ReviewPolicy {
  quorum: number;
  /** The chair's user id, when a chair has the final vote. */
  chairId: string | null;
}

/**
 * The board's decision once enough votes are in, else null (still under review).
 * - Fewer than `quorum` votes: undecided.
 * - With a chair: the chair's vote decides once the quorum is reached; until the chair has
 *   voted, the request waits.
 * - Without a chair: the majority decides; a tie rejects (access is not granted on doubt).
 */
export function boardDecision(
  votes: readonly CastVote[],
  policy: ReviewPolicy,
): 'approved' | 'rejected' | null {
  if (votes.length < policy.quorum) return null;
  if (policy.chairId) {
    const chair = votes.find((v) => v.memberId === policy.chairId);
    if (!chair) return null;
    return chair.vote === 'approve' ? 'approved' : 'rejected';
  }
  const approvals = votes.filter((v) => v.vote === 'approve').length;
  return approvals > votes.length - approvals ? 'approved' : 'rejected';
}
