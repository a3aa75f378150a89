import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { ConflictError, NotFoundError } from '../../errors/app-errors.js';
import type { Actor } from '../actors/actor.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import type { AuditAction } from '../audit/audit-actions.js';
import { notify } from '../notifications/notify.js';
import { electorate } from './board-members.js';
import { consentRequests, studies } from './studies.tables.js';
import type { STUDY_STATUSES } from './studies.tables.js';
import type { StudyRow } from './study-access.js';
import { closeOpenElections } from './study-elections.js';

/** Where a study's access request stands. */
export type StudyStatus = (typeof STUDY_STATUSES)[number];

/**
 * The legal moves, and the only ones: a draft is submitted (or withdrawn), to the researcher's
 * signing official first unless a library card stands in (institution-review.ts); the official
 * sends it on to the committees, returns it to a draft or turns it down; the board's first vote
 * puts it under review, and a vote that does not decide keeps it there; the quorum approves or
 * rejects; the owner may withdraw until then; an approved study ends with its grant (expired,
 * revoked or closed out). Every other status is final.
 */
export const STUDY_TRANSITIONS: Readonly<Record<StudyStatus, readonly StudyStatus[]>> = {
  draft: ['institution_review', 'submitted', 'withdrawn'],
  institution_review: ['submitted', 'draft', 'rejected', 'withdrawn'],
  submitted: ['under_review', 'approved', 'rejected', 'withdrawn'],
  under_review: ['under_review', 'approved', 'rejected', 'withdrawn'],
  approved: ['expired', 'revoked', 'closed_out'],
  rejected: [],
  withdrawn: [],
  expired: [],
  revoked: [],
  closed_out: [],
};

/** True when a study may move from `from` to `to`. */
export function canTransition(from: string, to: StudyStatus): boolean {
  return (STUDY_TRANSITIONS[from as StudyStatus] ?? []).includes(to);
}

// The study's own audit event per move; the others are recorded by who caused them (a vote
// under review, the grant's end).
const AUDIT_ACTIONS: Partial<Record<StudyStatus, AuditAction>> = {
  institution_review: 'study.submit',
  submitted: 'study.submit',
  approved: 'study.approve',
  rejected: 'study.reject',
  withdrawn: 'study.withdraw',
};

// Once a study can no longer start, nobody is left waiting on its consent requests.
const ENDS_REQUESTS: readonly StudyStatus[] = [
  'rejected',
  'withdrawn',
  'expired',
  'revoked',
  'closed_out',
];

/** What a move writes besides the status. */
export interface TransitionOptions {
  /** Columns set with the status: the frozen match on submission, the decision and its time. */
  set?: Partial<Pick<StudyRow, 'match' | 'submittedAt' | 'decidedAt' | 'decisionRationale'>>;
  /** Identifiers and facts for the move's audit event (moves without one ignore it). */
  payload?: Record<string, unknown>;
  /** The move's audit action when not its usual one (a signing official sending it on). */
  action?: AuditAction;
}

/**
 * Moves a study to `to`, the one way any code changes a study's status: checks the move is legal
 * against the locked row, writes it, closes unanswered consent requests when the study ends,
 * appends the move's audit event and tells whom it concerns (the board of a submission, the
 * owner of a decision). Answers the updated study.
 */
export async function transition(
  tx: Tx,
  actor: Actor | null,
  studyId: string,
  to: StudyStatus,
  options: TransitionOptions = {},
): Promise<StudyRow> {
  const [current] = await tx.select().from(studies).where(eq(studies.id, studyId)).for('update');
  if (!current) throw new NotFoundError('Study');
  if (!canTransition(current.status, to))
    throw new ConflictError(
      `The study is ${current.status.replace('_', ' ')}; it cannot become ${to.replace('_', ' ')}`,
    );
  const [study] = await tx
    .update(studies)
    .set({ ...options.set, status: to, updatedAt: new Date() })
    .where(eq(studies.id, studyId))
    .returning();
  if (ENDS_REQUESTS.includes(to)) {
    await closePendingRequests(tx, studyId);
    await closeOpenElections(tx, studyId);
  }
  const action = options.action ?? AUDIT_ACTIONS[to];
  if (action)
    await appendAuditEvent(tx, actor, {
      action,
      targetType: 'study',
      targetId: studyId,
      payload: options.payload,
    });
  if (to === 'submitted') {
    // The members of the committees whose datasets it asks for (elections open before the move).
    const board = await electorate(tx, studyId);
    await notify(
      tx,
      board.map((b) => b.id),
      {
        kind: 'vote_needed',
        title: 'A study awaits your review',
        body: `“${study!.title}” was submitted for ethics review.`,
        link: `/review/${studyId}`,
      },
    );
  } else if (to === 'approved' || to === 'rejected') {
    await notify(tx, [study!.ownerId], {
      kind: 'study_decision',
      title: to === 'approved' ? 'Study approved' : 'Study rejected',
      body:
        current.status === 'institution_review'
          ? `Your signing official turned down “${study!.title}”.`
          : `The ethics board ${to} “${study!.title}”.`,
      link: `/studies/${studyId}`,
    });
  }
  return study!;
}

/** Closes a study's unanswered consent requests (the study ended or was withdrawn). */
async function closePendingRequests(tx: Tx, studyId: string): Promise<void> {
  await tx
    .update(consentRequests)
    .set({ status: 'closed' })
    .where(and(eq(consentRequests.studyId, studyId), eq(consentRequests.status, 'pending')));
}
