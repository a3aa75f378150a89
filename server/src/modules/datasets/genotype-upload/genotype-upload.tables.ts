import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, timestamptz, uuidRef } from '../../../db/columns.js';
import { users } from '../../accounts/accounts.tables.js';
import { participants } from '../../participants/participants.tables.js';

/**
 * A genotype file a participant uploaded to their own record (source: device upload): a VCF or
 * a consumer raw-data file. The file itself is not kept, only its digest and what was read from
 * it. `build` is what the file said it is on; `liftedOver` whether positions were converted to
 * GRCh38. A retracted upload stays for the audit trail, its calls excluded from every count.
 */
export const genotypeUploads = pgTable(
  'genotype_uploads',
  {
    id: uuid('id').primaryKey(),
    participantId: uuidRef('participant_id', () => participants.id),
    format: text('format').notNull(),
    build: text('build').notNull(),
    liftedOver: boolean('lifted_over').notNull(),
    fileName: text('file_name').notNull(),
    fileSha256: text('file_sha256').notNull(),
    report: jsonb('report').notNull(),
    uploadedBy: uuid('uploaded_by').references(() => users.id),
    createdAt: createdAt(),
    retractedAt: timestamptz('retracted_at'),
  },
  (t) => [
    index('genotype_uploads_participant_idx').on(t.participantId),
    // Once per participant while it stands: a retracted file may be uploaded again.
    uniqueIndex('genotype_uploads_file_once_idx')
      .on(t.participantId, t.fileSha256)
      .where(sql`retracted_at is null`),
    check('genotype_uploads_format_check', sql`${t.format} in ('vcf', '23andme', 'ancestrydna')`),
    check('genotype_uploads_build_check', sql`${t.build} in ('GRCh37', 'GRCh38')`),
  ],
);

/**
 * The non-reference calls of an upload, on GRCh38, against the shared `variants` table. Kept apart
 * from `variant_call_sets` (a dataset's calls) so the source of every call stays explicit.
 */
export const genotypeUploadCalls = pgTable(
  'genotype_upload_calls',
  {
    uploadId: uuidRef('upload_id', () => genotypeUploads.id),
    variantId: integer('variant_id').notNull(),
    participantNum: integer('participant_num').notNull(),
    zygosity: smallint('zygosity').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.variantId, t.uploadId] }),
    index('genotype_upload_calls_upload_idx').on(t.uploadId),
    index('genotype_upload_calls_participant_idx').on(t.participantNum),
    check('genotype_upload_calls_zygosity_check', sql`${t.zygosity} in (1, 2, 3)`),
  ],
);
