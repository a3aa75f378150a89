import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Queryable } from '../../db/database.js';
import { cohortChanges } from '../cohort-changes/cohort-changes.tables.js';
import type { SnapshotPosition } from './index-snapshot-file.js';

/**
 * The change log's row at `seq` as a position a snapshot can be pinned to: its sequence number
 * and a digest of the row. A database restored from a backup, or another database, either lacks
 * the row or holds a different one, so a snapshot of another history is never used. Undefined
 * when the row does not exist (including seq 0, an empty log).
 */
export async function changeLogPosition(
  db: Queryable,
  seq: number,
): Promise<SnapshotPosition | undefined> {
  if (seq <= 0) return undefined;
  const [row] = await db.select().from(cohortChanges).where(eq(cohortChanges.seq, seq));
  if (!row) return undefined;
  const fingerprint = createHash('sha256')
    .update(`${row.seq}|${row.kind}|${row.ref}|${row.at.toISOString()}`)
    .digest('hex');
  return { changeSeq: seq, fingerprint };
}
