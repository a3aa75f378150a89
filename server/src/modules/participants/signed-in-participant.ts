import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { NotFoundError } from '../../errors/app-errors.js';
import { hasRole, type Actor } from '../actors/actor.js';
import { participants } from './participants.tables.js';

/**
 * The participant record of the signed-in participant, locked when the caller is about to
 * write for them. Anyone else has none: "not found", never "forbidden".
 */
export async function signedInParticipant(
  tx: Tx,
  actor: Actor | null,
  options: { lock: boolean },
): Promise<typeof participants.$inferSelect> {
  if (!hasRole(actor, 'participant')) throw new NotFoundError('Participant');
  const query = tx.select().from(participants).where(eq(participants.userId, actor.userId));
  const [participant] = options.lock ? await query.for('update') : await query;
  if (!participant) throw new NotFoundError('Participant');
  return participant;
}
