import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { ConflictError, NotFoundError } from '../../errors/app-errors.js';
import { idSchema } from '../../lib/validators.js';
import { hasRole, type Actor } from '../actors/actor.js';
import { studies } from './studies.tables.js';

/** A study row. */
export type StudyRow = typeof studies.$inferSelect;

/** Statuses the committees and admins do not see: the researcher's and their institution's. */
export const BEFORE_COMMITTEES = ['draft', 'institution_review'] as const;

/**
 * Who may see a study: its owner always; ethics boards and admins once it reached the
 * committees (a draft is the researcher's own business, and a request waiting for the signing
 * official is the institution's: institution-review.ts shows it to its officials). Anyone
 * else, including other researchers, is told it does not exist.
 */
export function canSeeStudy(actor: Actor | null, study: StudyRow): boolean {
  if (actor?.kind === 'system') return true;
  if (hasRole(actor, 'researcher') && study.ownerId === actor.userId) return true;
  return (
    hasRole(actor, 'ethics_board', 'admin') &&
    !(BEFORE_COMMITTEES as readonly string[]).includes(study.status)
  );
}

/** Loads a study the caller may see, optionally locking it for a state change. */
export async function visibleStudy(
  tx: Tx,
  actor: Actor | null,
  id: unknown,
  lock = false,
): Promise<StudyRow> {
  const parsed = idSchema.safeParse(id);
  if (!parsed.success) throw new NotFoundError('Study');
  const query = tx.select().from(studies).where(eq(studies.id, parsed.data));
  const [study] = lock ? await query.for('update') : await query;
  if (!study || !canSeeStudy(actor, study)) throw new NotFoundError('Study');
  return study;
}

/** Loads a study the caller owns (researchers only), locked for a change. */
export async function ownStudy(tx: Tx, actor: Actor | null, id: unknown): Promise<StudyRow> {
  const study = await visibleStudy(tx, actor, id, true);
  if (!hasRole(actor, 'researcher') || study.ownerId !== actor.userId)
    throw new NotFoundError('Study');
  return study;
}

/** Refuses a change to a study that is no longer a draft. */
export function assertDraft(study: StudyRow): void {
  if (study.status !== 'draft')
    throw new ConflictError(`The study is ${study.status}; only a draft can be changed`);
}
