import { eq, inArray } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { recordCohortChange } from '../cohort-changes/cohort-changes.js';
import { participants } from '../participants/participants.tables.js';
import {
  clinicianAuthorisations,
  recordAnnotations,
  recordEntries,
  recordEntryVersions,
} from './record.tables.js';

/**
 * Deletes everything added to a participant's record (entries, every version, remarks) and the
 * clinicians' authorisations, for
 * erasure; the audit events stay and hold no content. Answers how many entries went.
 */
export async function eraseRecordOf(tx: Tx, participantId: string): Promise<number> {
  const ids = tx
    .select({ id: recordEntries.id })
    .from(recordEntries)
    .where(eq(recordEntries.participantId, participantId));
  await tx.delete(recordAnnotations).where(inArray(recordAnnotations.entryId, ids));
  await tx.delete(recordEntryVersions).where(inArray(recordEntryVersions.entryId, ids));
  await tx
    .delete(clinicianAuthorisations)
    .where(eq(clinicianAuthorisations.participantId, participantId));
  const gone = await tx
    .delete(recordEntries)
    .where(eq(recordEntries.participantId, participantId))
    .returning({ id: recordEntries.id });
  const [p] = await tx
    .select({ num: participants.num })
    .from(participants)
    .where(eq(participants.id, participantId));
  // The index drops the erased conditions from its terms in the same commit.
  if (p && gone.length) await recordCohortChange(tx, 'record', p.num);
  return gone.length;
}
