import { eq } from 'drizzle-orm';
import type { Queryable } from '../db/database.js';
import { users } from '../modules/accounts/accounts.tables.js';
import { participants } from '../modules/participants/participants.tables.js';

/**
 * The participant id, pseudonym and number (`num`, as the cohort index and variant calls know
 * them) of the account with this e-mail address, and the account's user id (in the record,
 * FHIR and upload tests, the seeded `patient@demo.local`). Throws when the account is no participant, so a
 * changed seed fails loudly instead of as an undefined id further on.
 */
export async function participantByEmail(
  db: Queryable,
  email: string,
): Promise<{ id: string; pseudonym: string; num: number; userId: string }> {
  const [me] = await db
    .select({
      id: participants.id,
      pseudonym: participants.pseudonym,
      num: participants.num,
      userId: users.id,
    })
    .from(participants)
    .innerJoin(users, eq(users.id, participants.userId))
    .where(eq(users.email, email));
  if (!me) throw new Error(`No participant signs in as ${email}`);
  return me;
}
