import { and, arrayContains, desc, eq, lt } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { hasRole, type Actor } from '../actors/actor.js';
import { activeDacMemberIds, dacsOfMember, governingDacs } from '../dacs/dac-reads.js';
import type { DataUseChangeRow } from '../datasets/data-use-changes.service.js';
import { updateDataset } from '../datasets/datasets.service.js';
import { dataUseChanges, datasets } from '../datasets/datasets.tables.js';
import { grants } from '../grants/grants.tables.js';
import { notify } from '../notifications/notify.js';
import { boardMembers } from '../studies/board-members.js';
import { studies } from '../studies/studies.tables.js';
import { assertCanSeeReviewQueue } from './review.policy.js';

/** An active grant issued under terms that have since been narrowed. */
export interface GrantToReview {
  grantId: string;
  studyId: string;
  studyTitle: string;
}

/** A narrowing of a dataset's data use and the active grants the board should look at again. */
export interface DataUseReview {
  change: DataUseChangeRow;
  datasetName: string;
  grants: GrantToReview[];
}

/** Active grants covering the dataset that were issued before the change was made. */
async function grantsIssuedBefore(
  tx: Tx,
  datasetId: string,
  before: Date,
): Promise<GrantToReview[]> {
  return tx
    .select({ grantId: grants.id, studyId: grants.studyId, studyTitle: studies.title })
    .from(grants)
    .innerJoin(studies, eq(studies.id, grants.studyId))
    .where(
      and(
        eq(grants.status, 'active'),
        arrayContains(grants.datasetIds, [datasetId]),
        lt(grants.issuedAt, before),
      ),
    );
}

/**
 * Changes a dataset (datasets' `updateDataset`, which versions its data use) and, when the
 * data use narrowed, tells the holders of active grants on it and asks the board to review
 * those grants, in the same transaction. A widening that now waits tells the board too.
 */
export async function changeDataset(
  tx: Tx,
  actor: Actor | null,
  input: unknown,
): ReturnType<typeof updateDataset> {
  const updated = await updateDataset(tx, actor, input);
  const change = updated.dataUseChange;
  if (!change) return updated;
  // The dataset's own committee decides and reviews; with none yet, the whole board is told so
  // that someone asks an admin to assign one.
  const dacId = (await governingDacs(tx, [updated.id])).get(updated.id);
  const board = dacId
    ? await activeDacMemberIds(tx, dacId)
    : (await boardMembers(tx)).map((m) => m.id);
  if (change.status === 'pending') {
    await notify(tx, board, {
      kind: 'data_use_review',
      title: `Widening the data use of ${updated.name} needs approval`,
      body: dacId
        ? 'A data steward asked to loosen the terms of use of a dataset your committee governs. It applies only once the committee approves it.'
        : 'A data steward asked to loosen the terms of use of a dataset no committee governs yet: an administrator must assign it one to decide it.',
      link: '/review',
    });
    return updated;
  }
  const affected = await grantsIssuedBefore(tx, updated.id, new Date(Date.now() + 1));
  if (affected.length > 0) {
    const holders = await tx
      .select({ researcherId: grants.researcherId })
      .from(grants)
      .where(and(eq(grants.status, 'active'), arrayContains(grants.datasetIds, [updated.id])));
    await notify(
      tx,
      holders.map((h) => h.researcherId),
      {
        kind: 'data_use_narrowed',
        title: `The terms of use of ${updated.name} were narrowed`,
        body: 'The dataset’s data use is now more restrictive. Your grant stays active while the dataset’s committee reviews it against the new terms.',
      },
    );
    await notify(tx, board, {
      kind: 'data_use_review',
      title: `Review ${affected.length} grant(s) after ${updated.name} was narrowed`,
      body: 'Active grants were issued under the dataset’s earlier, wider terms.',
      link: '/review',
    });
  }
  return updated;
}

/**
 * What the review page lists besides the queue: widenings waiting for approval, and applied
 * narrowings with the active grants issued before them (newest first). A board member sees
 * those of the datasets their committees govern; an admin sees all (to follow them).
 */
export async function dataUseReviews(
  tx: Tx,
  actor: Actor | null,
): Promise<{ pending: DataUseReview[]; narrowed: DataUseReview[] }> {
  assertCanSeeReviewQueue(actor);
  const rows = await tx
    .select({ change: dataUseChanges, datasetName: datasets.name })
    .from(dataUseChanges)
    .innerJoin(datasets, eq(datasets.id, dataUseChanges.datasetId))
    .orderBy(desc(dataUseChanges.createdAt));
  const governing = await governingDacs(tx, [...new Set(rows.map((r) => r.change.datasetId))]);
  const mine = hasRole(actor, 'ethics_board')
    ? new Set(await dacsOfMember(tx, actor.userId))
    : null;
  const pending: DataUseReview[] = [];
  const narrowed: DataUseReview[] = [];
  for (const row of rows) {
    if (mine && !mine.has(governing.get(row.change.datasetId) ?? '')) continue;
    if (row.change.status === 'pending') pending.push({ ...row, grants: [] });
    else if (row.change.status === 'applied' && row.change.direction === 'narrower') {
      const affected = await grantsIssuedBefore(tx, row.change.datasetId, row.change.createdAt);
      if (affected.length > 0) narrowed.push({ ...row, grants: affected });
    }
  }
  return { pending, narrowed };
}
