import { and, eq, sql } from 'drizzle-orm';
import type { Database, Tx } from '../../db/database.js';
import { chainOutbox } from './chain.tables.js';

/**
 * Whether a consent decision for `subject` (a chain pseudonym) is still waiting in the outbox:
 * made here, not yet on chain. Until it lands, the chain's latest record for the subject's link
 * group is not the participant's latest decision, so linked sites' decisions must wait.
 */
export async function hasPendingConsent(db: Database | Tx, subject: string): Promise<boolean> {
  const [row] = await db
    .select({ id: chainOutbox.id })
    .from(chainOutbox)
    .where(
      and(
        eq(chainOutbox.kind, 'consent'),
        eq(chainOutbox.status, 'pending'),
        sql`${chainOutbox.item}->>'subject' = ${subject}`,
      ),
    )
    .limit(1);
  return Boolean(row);
}

/**
 * Whether the registration of passkey `keyId` is still waiting in the outbox. A signature by it
 * that the contract checks at once (a participant link) would be refused as an unknown key
 * until it lands.
 */
export async function hasPendingPasskeyRegistration(
  db: Database | Tx,
  keyId: string,
): Promise<boolean> {
  const [row] = await db
    .select({ id: chainOutbox.id })
    .from(chainOutbox)
    .where(
      and(
        eq(chainOutbox.kind, 'passkey'),
        eq(chainOutbox.status, 'pending'),
        eq(chainOutbox.eventId, `passkey-register:${keyId}`),
      ),
    )
    .limit(1);
  return Boolean(row);
}
