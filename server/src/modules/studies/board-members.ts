import { and, eq, isNull } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { users } from '../accounts/accounts.tables.js';

/** The active ethics board members: who is asked to vote. */
export async function boardMembers(tx: Tx): Promise<{ id: string; email: string }[]> {
  return tx
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(and(eq(users.role, 'ethics_board'), isNull(users.disabledAt)));
}
