import { ForbiddenError } from '../../errors/app-errors.js';
import { hasRole, type Actor } from '../actors/actor.js';

/** Ethics boards and admins read the audit trail (participants will see their own slice). */
export function assertCanReadAudit(actor: Actor | null): void {
  if (actor?.kind === 'system' || hasRole(actor, 'ethics_board', 'admin')) return;
  throw new ForbiddenError('Only ethics board members and administrators can read the audit trail');
}
