import { and, desc, inArray, ne } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { RecontactCleared } from '../notifications/notify.js';
import { participants } from '../participants/participants.tables.js';
import { consentPreferences } from './consent.tables.js';
import { DEFAULT_PREFERENCES } from './preferences.js';

/**
 * The only way to send a participant a message that is not about their own data (a `recontact`
 * kind in notifications/notify.ts): keeps the users who are participants, have not withdrawn,
 * and whose latest standing preferences allow recontact (someone who never stated anything has
 * the default, which does not). Everyone else is left out: deny by default. Read in the caller's
 * transaction, so a change of mind a moment ago counts.
 */
export async function recontactCleared(
  tx: Tx,
  userIds: readonly string[],
): Promise<RecontactCleared> {
  const unique = [...new Set(userIds)];
  if (unique.length === 0) return new RecontactCleared([]);
  const people = await tx
    .select({ id: participants.id, userId: participants.userId })
    .from(participants)
    .where(and(inArray(participants.userId, unique), ne(participants.status, 'withdrawn')));
  if (people.length === 0) return new RecontactCleared([]);
  const versions = await tx
    .selectDistinctOn([consentPreferences.participantId], {
      participantId: consentPreferences.participantId,
      recontact: consentPreferences.recontact,
    })
    .from(consentPreferences)
    .where(
      inArray(
        consentPreferences.participantId,
        people.map((p) => p.id),
      ),
    )
    .orderBy(consentPreferences.participantId, desc(consentPreferences.version));
  const allows = new Map(versions.map((v) => [v.participantId, v.recontact]));
  return new RecontactCleared(
    people.filter((p) => allows.get(p.id) ?? DEFAULT_PREFERENCES.recontact).map((p) => p.userId!),
  );
}
