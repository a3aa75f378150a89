import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from '../../errors/app-errors.js';
import { dacsOfMember } from '../dacs/dac-reads.js';
import type { StudyRow } from '../studies/study-access.js';
import { electionsOfStudy, type ElectionRow } from '../studies/study-elections.js';
import { reviewConflicts } from './review.tables.js';

/**
 * The election a member acts in on a request: the one of the committee named, or else the one
 * open election of a committee they sit on. A member may act only in their own committees'
 * elections, so a committee decides its own datasets and nobody else's.
 */
export async function memberElection(
  tx: Tx,
  memberId: string,
  study: StudyRow,
  dacId: string | null | undefined,
): Promise<ElectionRow> {
  const elections = await electionsOfStudy(tx, study.id);
  const mine = new Set(await dacsOfMember(tx, memberId));
  if (dacId) {
    const election = elections.find((e) => e.dacId === dacId);
    if (!election) throw new NotFoundError('Election');
    if (!mine.has(dacId))
      throw new ForbiddenError(
        'You are not a member of this committee: you can act only on the datasets your committees govern',
      );
    return assertOpen(election);
  }
  const ours = elections.filter((e) => mine.has(e.dacId));
  if (ours.length === 0)
    throw new ForbiddenError('You sit on none of the committees deciding this request');
  const open = ours.filter((e) => e.status === 'open');
  if (open.length > 1)
    throw new ValidationError('You sit on several committees deciding this request', [
      { field: 'dacId', message: 'choose the committee you act for' },
    ]);
  return assertOpen(open[0] ?? ours[0]!);
}

function assertOpen(election: ElectionRow): ElectionRow {
  if (election.status !== 'open')
    throw new ConflictError(`Your committee has already decided (${election.status})`);
  return election;
}

/** Whether a member declared a conflict of interest on an election. */
export async function hasDeclaredConflict(
  tx: Tx,
  electionId: string,
  memberId: string,
): Promise<boolean> {
  const [row] = await tx
    .select({ memberId: reviewConflicts.memberId })
    .from(reviewConflicts)
    .where(and(eq(reviewConflicts.electionId, electionId), eq(reviewConflicts.memberId, memberId)));
  return Boolean(row);
}

/** The members who declared a conflict on an election. */
export async function conflictedMembers(tx: Tx, electionId: string): Promise<string[]> {
  const rows = await tx
    .select({ memberId: reviewConflicts.memberId })
    .from(reviewConflicts)
    .where(eq(reviewConflicts.electionId, electionId));
  return rows.map((r) => r.memberId);
}
