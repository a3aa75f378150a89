import { ForbiddenError } from '../../errors/app-errors.js';
import type { Actor } from '../actors/actor.js';

/** Only an admin (or an operator at the CLI) creates accounts other than participants' own. */
export function assertCanCreateUser(actor: Actor | null): void {
  if (actor?.kind === 'system') return;
  if (actor?.kind === 'user' && actor.role === 'admin') return;
  throw new ForbiddenError('Only an administrator can create accounts');
}

/** Only an admin (or an operator) lists accounts. */
export function assertCanListUsers(actor: Actor | null): void {
  assertCanCreateUser(actor);
}

/**
 * Only a signed-in administrator changes roles or disables accounts. Unlike account creation, the
 * CLI's system actor is not let in: these changes must name the person who made them.
 */
export function assertCanAdministerAccounts(actor: Actor | null): void {
  if (actor?.kind === 'user' && actor.role === 'admin') return;
  throw new ForbiddenError('Only an administrator can change accounts');
}
