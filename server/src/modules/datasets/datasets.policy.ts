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

/**
 * Widening a dataset's data use is decided by the dataset's committee: its tally (the review
 * module's `voteOnDataUseChange`, which checks the voter sits on that committee) applies the
 * decision as the member whose vote completed it. Admins run the platform; they do not decide.
 */
export function assertCanDecideDataUseChange(actor: Actor | null): asserts actor is Actor {
  if (actor?.kind === 'system' || hasRole(actor, 'ethics_board')) return;
  throw new ForbiddenError(
    'Only the dataset’s data access committee can decide on widening its data use',
  );
}
