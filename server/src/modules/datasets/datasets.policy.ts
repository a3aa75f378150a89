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

/** Widening a dataset's data use is the board's call (there is no per-dataset DAC yet), or an admin's. */
export function assertCanDecideDataUseChange(actor: Actor | null): asserts actor is Actor {
  if (actor?.kind === 'system' || hasRole(actor, 'ethics_board', 'admin')) return;
  throw new ForbiddenError('Only the ethics board or an admin can decide on widening a data use');
}
