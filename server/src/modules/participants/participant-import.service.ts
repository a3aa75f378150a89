import { sql } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import { pgIntArray, pgTextArray } from '../../db/pg-array.js';
import { ValidationError } from '../../errors/app-errors.js';
import type { Actor } from '../actors/actor.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { recordCohortChange } from '../cohort-changes/cohort-changes.js';
import { PhenotypeFormatError } from '../genomics/phenotypes/phenotype-format-error.js';
import { readParticipantTable } from '../genomics/phenotypes/read-participant-table.js';
import { assertCanManageParticipants } from './participants.policy.js';

const CHUNK = 50_000;

/**
 * Registers participant records in bulk from a table (pseudonym, sex, birth_year), as a study
 * site (`site`, when known: its consent coordinators may then record for them) hands them over.
 * Pseudonyms already registered are left as they are. One transaction.
 */
export async function importParticipants(
  db: Database,
  actor: Actor | null,
  path: string,
  site: string | null = null,
): Promise<{ read: number; created: number }> {
  assertCanManageParticipants(actor);
  const rows = await readParticipantTable(path).catch((error: unknown) => {
    if (error instanceof PhenotypeFormatError)
      throw new ValidationError(error.message, [{ field: 'file', message: error.message }]);
    throw error;
  });
  let created = 0;
  await db.transaction(async (tx) => {
    for (let i = 0; i < rows.length; i += CHUNK) {
      const part = rows.slice(i, i + CHUNK);
      const inserted =
        await tx.execute(sql`insert into participants (id, pseudonym, sex, birth_year, status, site)
        select gen_random_uuid(), p, s, nullif(y, 0), 'invited', ${site}::text
        from unnest(${pgTextArray(part.map((r) => r.participant))}::text[], ${pgTextArray(part.map((r) => r.sex ?? 'unknown'))}::text[],
                    ${pgIntArray(part.map((r) => r.birthYear ?? 0))}::int[]) as t(p, s, y)
        on conflict (pseudonym) do nothing returning num`);
      const count = Array.isArray(inserted)
        ? inserted.length
        : ((inserted as { rows?: unknown[] }).rows?.length ?? 0);
      created += count;
    }
    await recordCohortChange(tx, 'participant', 'all');
    await appendAuditEvent(tx, actor, {
      action: 'participant.import',
      payload: { read: rows.length, created },
    });
  });
  return { read: rows.length, created };
}
