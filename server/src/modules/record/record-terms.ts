import { sql, type SQL } from 'drizzle-orm';

/**
 * The conditions in participants' records as rows (participant_id, term, source): each entry's
 * latest version, retracted entries left out. The cohort index and its SQL baseline read terms
 * through this one definition, so they cannot disagree about what counts.
 */
export function currentRecordTerms(): SQL {
  return sql`(select e.participant_id, v.code as term, e.source
      from record_entries e
      join record_entry_versions v on v.entry_id = e.id
      where e.kind = 'condition' and e.retracted_at is null
        and v.version = (select max(w.version) from record_entry_versions w where w.entry_id = e.id))`;
}
