import { eq } from 'drizzle-orm';
import type { Queryable } from '../db/database.js';
import { users } from '../modules/accounts/accounts.tables.js';
import { participants } from '../modules/participants/participants.tables.js';

/**
 * The participant id and pseudonym of the account with this e-mail address (in the record and
 * FHIR tests, the seeded `patient@demo.local`). Throws when the account is no participant, so a
 * changed seed fails loudly instead of as an undefined id further on.
 */
export async function participantByEmail(
  db: Queryable,
  email: string,
): Promise<{ id: string; pseudonym: string }> {
  const [me] = await db
    .select({ id: participants.id, pseudonym: participants.pseudonym })
    .from(participants)
    .innerJoin(users, eq(users.id, participants.userId))
    .where(eq(users.email, email));
  if (!me) throw new Error(`No participant signs in as ${email}`);
  return me;
}
