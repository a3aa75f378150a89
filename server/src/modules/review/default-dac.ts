import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import { users } from '../accounts/accounts.tables.js';
import { systemActor } from '../actors/actor.js';
import { createDac } from '../dacs/dacs.service.js';
import { dacs } from '../dacs/dacs.tables.js';
import { datasets } from '../datasets/datasets.tables.js';
import { studies } from '../studies/studies.tables.js';
import { openElections } from '../studies/study-elections.js';
import { reviewVotes } from './review.tables.js';

/** The name of the committee that takes over from the single, configured board. */
export const DEFAULT_DAC_NAME = 'Ethics board';

/**
 * The move from one global board to committees, run at start-up: a database that has datasets
 * but no committee yet (it was run by an older version) gets one committee, "Ethics board", with
 * every active board member, every dataset, and the old settings (REVIEW_QUORUM, and
 * REVIEW_CHAIR_EMAIL when that account is on the board) as its initial rules. Requests open at
 * the time get an election there, and the votes already cast count in it. From then on the
 * committees are managed in the portal; the environment variables are not read again.
 * Answers the committee's id, or null when there was nothing to do.
 */
export async function ensureDefaultDac(
  db: Database,
  legacy: { quorum: number; chairEmail: string | null },
): Promise<string | null> {
  return db.transaction(async (tx) => {
    const [existing] = await tx.select({ id: dacs.id }).from(dacs).limit(1);
    if (existing) return null;
    const all = await tx.select({ id: datasets.id }).from(datasets);
    if (all.length === 0) return null;
    const board = await tx
      .select({ id: users.id, email: users.email })
      .from(users)
      .where(and(eq(users.role, 'ethics_board'), isNull(users.disabledAt)));
    const chair = board.find((m) => m.email.toLowerCase() === legacy.chairEmail);
    const dac = await createDac(tx, systemActor('migration'), {
      name: DEFAULT_DAC_NAME,
      quorum: legacy.quorum,
      voteDays: 30,
      memberIds: board.map((m) => m.id),
      chairId: chair?.id ?? null,
      datasetIds: all.map((d) => d.id),
    });
    const open = await tx
      .select({ id: studies.id, datasetIds: studies.datasetIds })
      .from(studies)
      .where(inArray(studies.status, ['submitted', 'under_review']));
    for (const study of open) {
      const [election] = await openElections(tx, study.id, study.datasetIds);
      if (election)
        await tx
          .update(reviewVotes)
          .set({ electionId: election.id })
          .where(eq(reviewVotes.studyId, study.id));
    }
    return dac.id;
  });
}
