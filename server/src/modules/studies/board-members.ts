import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { users } from '../accounts/accounts.tables.js';
import { dacMembers } from '../dacs/dacs.tables.js';
import { studyElections } from './studies.tables.js';

/** The active ethics board members: who is asked about data-use changes. */
export async function boardMembers(tx: Tx): Promise<{ id: string; email: string }[]> {
  return tx
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(and(eq(users.role, 'ethics_board'), isNull(users.disabledAt)));
}

/**
 * The active members asked to vote on a request: those of the committees holding an election
 * on it.
 */
export async function electorate(tx: Tx, studyId: string): Promise<{ id: string }[]> {
  const committees = tx
    .select({ dacId: studyElections.dacId })
    .from(studyElections)
    .where(eq(studyElections.studyId, studyId));
  return tx
    .selectDistinct({ id: users.id })
    .from(users)
    .innerJoin(dacMembers, eq(dacMembers.userId, users.id))
    .where(
      and(
        inArray(dacMembers.dacId, committees),
        eq(users.role, 'ethics_board'),
        isNull(users.disabledAt),
      ),
    );
}
