import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { NotFoundError } from '../../errors/app-errors.js';
import { idSchema } from '../../lib/validators.js';
import { users } from '../accounts/accounts.tables.js';
import { dacDatasets, dacMembers, dacs } from './dacs.tables.js';

/** A committee row. */
export type DacRow = typeof dacs.$inferSelect;

/** One committee by id, optionally locked for a change; unknown ids are not found. */
export async function dacById(tx: Tx, id: unknown, lock = false): Promise<DacRow> {
  const parsed = idSchema.safeParse(id);
  if (!parsed.success) throw new NotFoundError('Committee');
  const query = tx.select().from(dacs).where(eq(dacs.id, parsed.data));
  const [dac] = lock ? await query.for('update') : await query;
  if (!dac) throw new NotFoundError('Committee');
  return dac;
}

/** Every committee, by name. */
export function allDacs(tx: Tx): Promise<DacRow[]> {
  return tx.select().from(dacs).orderBy(asc(dacs.name));
}

/** The user ids of a committee's members (disabled accounts included: they stay listed). */
export async function dacMemberIds(tx: Tx, dacId: string): Promise<string[]> {
  const rows = await tx
    .select({ userId: dacMembers.userId })
    .from(dacMembers)
    .where(eq(dacMembers.dacId, dacId))
    .orderBy(asc(dacMembers.createdAt), asc(dacMembers.userId));
  return rows.map((r) => r.userId);
}

/** The members who can vote now: not disabled, still on the ethics board. */
export async function activeDacMemberIds(tx: Tx, dacId: string): Promise<string[]> {
  const rows = await tx
    .select({ userId: dacMembers.userId })
    .from(dacMembers)
    .innerJoin(users, eq(users.id, dacMembers.userId))
    .where(
      and(eq(dacMembers.dacId, dacId), eq(users.role, 'ethics_board'), isNull(users.disabledAt)),
    );
  return rows.map((r) => r.userId);
}

/** The ids of the committees a user sits on. */
export async function dacsOfMember(tx: Tx, userId: string): Promise<string[]> {
  const rows = await tx
    .select({ dacId: dacMembers.dacId })
    .from(dacMembers)
    .where(eq(dacMembers.userId, userId));
  return rows.map((r) => r.dacId);
}

/** The datasets a committee governs. */
export async function dacDatasetIds(tx: Tx, dacId: string): Promise<string[]> {
  const rows = await tx
    .select({ datasetId: dacDatasets.datasetId })
    .from(dacDatasets)
    .where(eq(dacDatasets.dacId, dacId));
  return rows.map((r) => r.datasetId);
}

/** The governing committee of each given dataset that has one (dataset id → committee id). */
export async function governingDacs(
  tx: Tx,
  datasetIds: readonly string[],
): Promise<Map<string, string>> {
  if (datasetIds.length === 0) return new Map();
  const rows = await tx
    .select()
    .from(dacDatasets)
    .where(inArray(dacDatasets.datasetId, [...datasetIds]));
  return new Map(rows.map((r) => [r.datasetId, r.dacId]));
}
