import { randomUUID } from 'node:crypto';
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { NotFoundError, ValidationError } from '../../errors/app-errors.js';
import { idSchema } from '../../lib/validators.js';
import { dacs } from '../dacs/dacs.tables.js';
import { governingDacs } from '../dacs/dac-reads.js';
import { datasets } from '../datasets/datasets.tables.js';
import { studyElections } from './studies.tables.js';

/** One committee's election on a request. */
export type ElectionRow = typeof studyElections.$inferSelect;

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The committee governing each requested dataset (dataset id → committee id). A dataset no
 * committee governs cannot be requested: nobody could decide it, so the submission is refused
 * naming it.
 */
export async function requestCommittees(
  tx: Tx,
  datasetIds: readonly string[],
): Promise<Map<string, string>> {
  const governed = await governingDacs(tx, datasetIds);
  const orphans = datasetIds.filter((id) => !governed.has(id));
  if (orphans.length) {
    const names = await tx
      .select({ name: datasets.name })
      .from(datasets)
      .where(inArray(datasets.id, orphans));
    throw new ValidationError('A requested dataset has no data access committee', [
      {
        field: 'datasetIds',
        message: `no committee governs ${names.map((n) => n.name).join(', ') || orphans.join(', ')}: an administrator must assign it to one before it can be requested`,
      },
    ]);
  }
  return governed;
}

/**
 * Opens one election per committee governing the requested datasets, each over its own
 * datasets, with the committee's voting period (refused, like `requestCommittees`, when a
 * dataset has no committee).
 */
export async function openElections(
  tx: Tx,
  studyId: string,
  datasetIds: readonly string[],
  now = new Date(),
): Promise<ElectionRow[]> {
  const governed = await requestCommittees(tx, datasetIds);
  const byDac = new Map<string, string[]>();
  for (const id of datasetIds)
    byDac.set(governed.get(id)!, [...(byDac.get(governed.get(id)!) ?? []), id]);
  const committees = await tx
    .select({ id: dacs.id, voteDays: dacs.voteDays })
    .from(dacs)
    .where(inArray(dacs.id, [...byDac.keys()]));
  if (committees.length === 0) return [];
  return tx
    .insert(studyElections)
    .values(
      committees.map((c) => ({
        id: randomUUID(),
        studyId,
        dacId: c.id,
        datasetIds: byDac.get(c.id)!,
        status: 'open',
        deadlineAt: new Date(now.getTime() + c.voteDays * DAY_MS),
      })),
    )
    .returning();
}

/** A request's elections, in a stable order (committee id). */
export function electionsOfStudy(tx: Tx, studyId: string): Promise<ElectionRow[]> {
  return tx
    .select()
    .from(studyElections)
    .where(eq(studyElections.studyId, studyId))
    .orderBy(asc(studyElections.dacId));
}

/** Loads one election, optionally locked; unknown ids are not found. */
export async function electionById(tx: Tx, id: unknown, lock = false): Promise<ElectionRow> {
  const parsed = idSchema.safeParse(id);
  if (!parsed.success) throw new NotFoundError('Election');
  const query = tx.select().from(studyElections).where(eq(studyElections.id, parsed.data));
  const [election] = lock ? await query.for('update') : await query;
  if (!election) throw new NotFoundError('Election');
  return election;
}

/** Records a committee's decision on its election (the caller audits it and moves the study). */
export async function decideElection(
  tx: Tx,
  electionId: string,
  decision: 'approved' | 'rejected',
): Promise<ElectionRow> {
  const [decided] = await tx
    .update(studyElections)
    .set({ status: decision, decidedAt: new Date() })
    .where(and(eq(studyElections.id, electionId), eq(studyElections.status, 'open')))
    .returning();
  if (!decided) throw new NotFoundError('Open election');
  return decided;
}

/** Closes a request's undecided elections when it ends before they decided (withdrawal). */
export async function closeOpenElections(tx: Tx, studyId: string): Promise<void> {
  await tx
    .update(studyElections)
    .set({ status: 'closed', decidedAt: new Date() })
    .where(and(eq(studyElections.studyId, studyId), eq(studyElections.status, 'open')));
}

/**
 * Marks that an open election's members were reminded of its deadline, once: answers false when
 * it was already marked (or is no longer open), so a second worker sends nothing.
 */
export async function markElectionReminded(
  tx: Tx,
  electionId: string,
  now: Date,
): Promise<boolean> {
  const rows = await tx
    .update(studyElections)
    .set({ remindedAt: now })
    .where(
      and(
        eq(studyElections.id, electionId),
        eq(studyElections.status, 'open'),
        isNull(studyElections.remindedAt),
      ),
    )
    .returning({ id: studyElections.id });
  return rows.length > 0;
}

/** Marks an open election as past its deadline, once (false when already marked). */
export async function markElectionOverdue(tx: Tx, electionId: string, now: Date): Promise<boolean> {
  const rows = await tx
    .update(studyElections)
    .set({ overdueAt: now })
    .where(
      and(
        eq(studyElections.id, electionId),
        eq(studyElections.status, 'open'),
        isNull(studyElections.overdueAt),
      ),
    )
    .returning({ id: studyElections.id });
  return rows.length > 0;
}
