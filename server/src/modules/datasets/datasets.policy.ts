import { ForbiddenError, UnauthenticatedError } from '../../errors/app-errors.js';
import { hasRole, type Actor } from '../actors/actor.js';

/** Stewards register datasets; admins and operators may too. */
export function assertCanRegisterDataset(actor: Actor | null): void {
  if (actor?.kind === 'system' || hasRole(actor, 'steward', 'admin')) return;
  throw new ForbiddenError('Only a data steward can register datasets');
}

/** A dataset is changed by its own steward or an admin. */
export function assertCanEditDataset(actor: Actor | null, dataset: { stewardId: string }): void {
  if (actor?.kind === 'system' || hasRole(actor, 'admin')) return;
  if (hasRole(actor, 'steward') && actor.userId === dataset.stewardId) return;
  throw new ForbiddenError('Only the steward of this dataset can change it');
}

/** The catalogue (names, descriptions, data-use terms) is open to every signed-in user. */
export function assertCanBrowseDatasets(actor: Actor | null): void {
  if (actor === null) throw new UnauthenticatedError();
}
