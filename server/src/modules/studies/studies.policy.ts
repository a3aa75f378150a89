import { hasRole, type Actor } from '../actors/actor.js';

/** Ethics boards and admins see a study's cohort figures exactly; others see small cells hidden. */
export function seesExactCohortFigures(actor: Actor | null): boolean {
  return hasRole(actor, 'ethics_board', 'admin');
}
