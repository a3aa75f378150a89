import { sql, type SQL } from 'drizzle-orm';

/**
 * The calls of participants' own genotype uploads that count, as rows (variant_id,
 * participant_num, zygosity, upload_id): retracted uploads left out. The cohort index, its SQL
 * baseline and the participant's download read calls through this one definition.
 */
export function currentUploadedCalls(): SQL {
  return sql`(select c.variant_id, c.participant_num, c.zygosity, c.upload_id
      from genotype_upload_calls c join genotype_uploads u on u.id = c.upload_id
      where u.retracted_at is null)`;
}
