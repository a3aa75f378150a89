import { hasRole, type Actor } from '../../actors/actor.js';
import { ForbiddenError } from '../../../errors/app-errors.js';

/** Data comes into a dataset through its steward (or an admin, or an operator at the CLI). */
export function assertCanIngest(actor: Actor | null, dataset: { stewardId: string }): void {
  if (actor?.kind === 'system' || hasRole(actor, 'admin')) return;
  if (hasRole(actor, 'steward') && actor.userId === dataset.stewardId) return;
  throw new ForbiddenError('Only the steward of this dataset can ingest data into it');
}
