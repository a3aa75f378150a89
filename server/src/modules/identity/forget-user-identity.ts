import { eq, inArray } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { sessions } from '../accounts/accounts.tables.js';
import {
  oidcFlows,
  oidcIdentities,
  recoveryCodes,
  sessionAuth,
  staffPasskeyChallenges,
  staffPasskeys,
  totpAuthenticators,
} from './identity.tables.js';

/**
 * Deletes everything this module keeps about an account (linked institutional identities, flows,
 * the TOTP authenticator, recovery codes, how its sessions were opened), before the account
 * itself is erased. Runs in the caller's transaction.
 */
export async function forgetUserIdentity(tx: Tx, userId: string): Promise<void> {
  const own = tx.select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, userId));
  await tx.delete(sessionAuth).where(inArray(sessionAuth.sessionId, own));
  await tx.delete(oidcFlows).where(eq(oidcFlows.linkUserId, userId));
  await tx.delete(oidcIdentities).where(eq(oidcIdentities.userId, userId));
  await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
  await tx.delete(totpAuthenticators).where(eq(totpAuthenticators.userId, userId));
  await tx.delete(staffPasskeyChallenges).where(eq(staffPasskeyChallenges.userId, userId));
  await tx.delete(staffPasskeys).where(eq(staffPasskeys.userId, userId));
}
