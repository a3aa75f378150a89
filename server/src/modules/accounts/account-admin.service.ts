import { forgetCachedSessions } from './session-cache.js';
import { endSessionsOf } from './end-sessions.js';
import { and, eq, isNull, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Tx } from '../../db/database.js';
import { ConflictError, NotFoundError } from '../../errors/app-errors.js';
import { parseInput } from '../../errors/parse-input.js';
import { idSchema, roleSchema } from '../../lib/validators.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { assertCanAdministerAccounts } from './accounts.policy.js';
import { toUser, userColumns, type UserRecord } from './accounts.service.js';
import { users } from './accounts.tables.js';
import type { Actor } from '../actors/actor.js';
import { LastAdminError } from './last-admin-error.js';

// Serialises role changes and disabling, so two administrators demoting each other at the same
// moment cannot both pass the last-administrator check. Transaction-scoped: released at commit.
const ACCOUNT_ADMIN_LOCK_KEY = 7_270_101;

export const ChangeUserRoleInput = z.object({ userId: idSchema, role: roleSchema });

async function lockedAccount(tx: Tx, userId: string): Promise<UserRecord> {
  await tx.execute(sql`select pg_advisory_xact_lock(${ACCOUNT_ADMIN_LOCK_KEY})`);
  const [row] = await tx.select(userColumns).from(users).where(eq(users.id, userId)).for('update');
  if (!row) throw new NotFoundError('User');
  return toUser(row);
}

/** Refuses when no other active administrator than `userId` would remain. */
async function assertAnotherActiveAdmin(tx: Tx, userId: string): Promise<void> {
  const [other] = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.role, 'admin'), isNull(users.disabledAt), ne(users.id, userId)))
    .limit(1);
  if (!other) throw new LastAdminError();
}

/**
 * An administrator gives an account another role; it takes effect on the account's next request
 * (sessions read the role from the account). Leaving the researcher role clears a confirmed
 * researcher status, so that coming back later does not silently restore the visa. Refuses to
 * take the role away from the last active administrator, the caller included.
 */
export async function changeUserRole(
  tx: Tx,
  actor: Actor | null,
  input: unknown,
): Promise<UserRecord> {
  assertCanAdministerAccounts(actor);
  const { userId, role } = parseInput(ChangeUserRoleInput, input);
  const before = await lockedAccount(tx, userId);
  if (before.role === role) return before;
  if (before.role === 'admin' && before.disabledAt === null)
    await assertAnotherActiveAdmin(tx, userId);
  const clearsResearcherStatus = before.researcherStatusConfirmedAt !== null;
  const [row] = await tx
    .update(users)
    .set({
      role,
      ...(clearsResearcherStatus
        ? { researcherStatusConfirmedAt: null, researcherStatusConfirmedBy: null }
        : {}),
    })
    .where(eq(users.id, userId))
    .returning(userColumns);
  // Sessions of this user stand for the old role until the cache forgets them.
  forgetCachedSessions();
  await appendAuditEvent(tx, actor, {
    action: 'user.role.change',
    targetType: 'user',
    targetId: userId,
    payload: { from: before.role, to: role, researcherStatusCleared: clearsResearcherStatus },
  });
  return toUser(row!);
}

/**
 * An administrator disables an account: it cannot sign in, and its open sessions end at once.
 * Nobody disables their own account (they would lock themselves out mid-task), nor the last
 * active administrator. Disabling a disabled account changes nothing and records nothing.
 */
export async function disableUser(
  tx: Tx,
  actor: Actor | null,
  userId: unknown,
): Promise<UserRecord> {
  const { id, before } = await administeredAccount(tx, actor, userId);
  if (before.disabledAt !== null) return before;
  if (actor?.kind === 'user' && actor.userId === id)
    throw new ConflictError('You cannot disable your own account');
  if (before.role === 'admin') await assertAnotherActiveAdmin(tx, id);
  const row = await setDisabledAt(tx, id, new Date());
  const sessionsEnded = await endSessionsOf(tx, id);
  await appendAuditEvent(tx, actor, {
    action: 'user.disable',
    targetType: 'user',
    targetId: id,
    payload: { sessionsEnded },
  });
  return row;
}

/** An administrator lets a disabled account sign in again. Enabling an active account is a no-op. */
export async function enableUser(
  tx: Tx,
  actor: Actor | null,
  userId: unknown,
): Promise<UserRecord> {
  const { id, before } = await administeredAccount(tx, actor, userId);
  if (before.disabledAt === null) return before;
  const row = await setDisabledAt(tx, id, null);
  forgetCachedSessions();
  await appendAuditEvent(tx, actor, { action: 'user.enable', targetType: 'user', targetId: id });
  return row;
}

/** The account an administrator acts on, by its (parsed) id, locked as `lockedAccount` does. */
async function administeredAccount(
  tx: Tx,
  actor: Actor | null,
  userId: unknown,
): Promise<{ id: string; before: UserRecord }> {
  assertCanAdministerAccounts(actor);
  const id = parseInput(idSchema, userId);
  return { id, before: await lockedAccount(tx, id) };
}

/** Disables the account from `at`, or enables it again (null); answers it as it now is. */
async function setDisabledAt(tx: Tx, id: string, at: Date | null): Promise<UserRecord> {
  const [row] = await tx
    .update(users)
    .set({ disabledAt: at })
    .where(eq(users.id, id))
    .returning(userColumns);
  return toUser(row!);
}
