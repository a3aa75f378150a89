import { createHmac, randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { participantChainKeys } from './chain.tables.js';

/**
 * A participant's on-chain subject: HMAC-SHA256(per-participant secret, participant id). The
 * chain never sees the id; deleting the secret (erasure) leaves the chain records unlinkable.
 */
export function subjectOf(secretHex: string, participantId: string): string {
  return createHmac('sha256', Buffer.from(secretHex, 'hex'))
    .update(participantId, 'utf8')
    .digest('hex');
}

/** The participant's subject, creating their secret on first use (inside the caller's transaction). */
export async function chainSubject(tx: Tx, participantId: string): Promise<string> {
  const [existing] = await tx
    .select({ secret: participantChainKeys.secret })
    .from(participantChainKeys)
    .where(eq(participantChainKeys.participantId, participantId));
  if (existing) return subjectOf(existing.secret, participantId);
  const secret = randomBytes(32).toString('hex');
  await tx.insert(participantChainKeys).values({ participantId, secret }).onConflictDoNothing();
  // A concurrent transaction may have won the insert; read back whichever secret is stored.
  const [stored] = await tx
    .select({ secret: participantChainKeys.secret })
    .from(participantChainKeys)
    .where(eq(participantChainKeys.participantId, participantId));
  return subjectOf(stored!.secret, participantId);
}

/** Erases a participant's chain key: their on-chain records can no longer be linked to them. */
export async function eraseChainSubject(tx: Tx, participantId: string): Promise<void> {
  await tx
    .delete(participantChainKeys)
    .where(eq(participantChainKeys.participantId, participantId));
}
