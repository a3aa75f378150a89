import { sql } from 'drizzle-orm';
import {
  bigint,
  pgView,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  smallint,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from '../../accounts/accounts.tables.js';
import { ontologyTerms } from '../../ontology/ontology.tables.js';
import { participants } from '../../participants/participants.tables.js';
import { datasets } from '../datasets.tables.js';
import { timestamptz, uuidRef } from '../../../db/columns.js';

/** Distinct variants, one row per alternate allele (multi-allelic records are split). */
export const variants = pgTable(
  'variants',
  {
    id: serial('id').primaryKey(),
    chrom: text('chrom').notNull(),
    pos: integer('pos').notNull(),
    ref: text('ref').notNull(),
    alt: text('alt').notNull(),
    gene: text('gene'),
  },
  (t) => [
    uniqueIndex('variants_allele_idx').on(t.chrom, t.pos, t.ref, t.alt),
    index('variants_gene_idx').on(t.gene),
  ],
);

/**
 * Non-reference genotype calls, one row per variant (alternate allele) per ingest into a dataset:
 * the carriers as sorted arrays of participant numbers (`participants.num`), by zygosity. A row
 * per call (the former `variant_calls` table) cost a tuple and two B-tree entries per call, which
 * held an ingest far below disk speed, most of all on PGlite; here a record of 2,000 samples is
 * one row, its arrays 4 bytes a carrier (PostgreSQL TOAST-compresses the large ones), and the
 * cohort index, the SQL baseline and the export read the carriers of a variant as they are
 * stored. The set-based check for repeated calls is in `ingest/call-staging.ts`.
 *
 * No foreign keys: the VCF ingest is the only writer, it takes variant ids from the variants it
 * upserts in the same transaction and the dataset from its preflight, and neither datasets nor
 * variants are ever deleted. Participant erasure removes a number from the arrays.
 */
export const variantCallSets = pgTable(
  'variant_call_sets',
  {
    // A surrogate key: one B-tree entry per row, i.e. per record-allele, not per call.
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    datasetId: uuid('dataset_id').notNull(),
    /** The ingest that stored the row; null for rows carried over from `variant_calls`. */
    ingestId: uuid('ingest_id'),
    variantId: integer('variant_id').notNull(),
    het: integer('het').array().notNull(),
    hom: integer('hom').array().notNull(),
    hemi: integer('hemi').array().notNull(),
  },
  (t) => [
    // Variant first: the cohort index loads carriers by variant range, and so does the export.
    // The ingest last: the repeat check probes a file's own earlier batches by it.
    index('variant_call_sets_variant_idx').on(t.variantId, t.datasetId, t.ingestId),
  ],
);

/**
 * The calls one row per call (`zygosity` 1 heterozygous, 2 homozygous, 3 hemizygous), unnested
 * from `variant_call_sets` by a SQL view (created in migration 0042, not managed by drizzle-kit).
 * For tests and cold paths that read calls one by one; the ingest, the cohort index, the SQL
 * baseline and the export read the arrays.
 */
export const variantCalls = pgView('variant_calls', {
  datasetId: uuid('dataset_id').notNull(),
  variantId: integer('variant_id').notNull(),
  participantNum: integer('participant_num').notNull(),
  zygosity: smallint('zygosity').notNull(),
}).existing();

/** Which participant a dataset's sample is: the pseudonymous sample id used in exports. */
export const samples = pgTable(
  'samples',
  {
    datasetId: uuidRef('dataset_id', () => datasets.id),
    sampleId: text('sample_id').notNull(),
    participantId: uuidRef('participant_id', () => participants.id),
  },
  (t) => [
    primaryKey({ columns: [t.datasetId, t.sampleId] }),
    uniqueIndex('samples_dataset_participant_idx').on(t.datasetId, t.participantId),
  ],
);

/** A participant's phenotype or disease observation (HPO or MONDO term). */
export const phenotypeObservations = pgTable(
  'phenotype_observations',
  {
    participantId: uuidRef('participant_id', () => participants.id),
    term: text('term')
      .notNull()
      .references(() => ontologyTerms.curie),
    present: boolean('present').notNull(),
    onset: text('onset'),
  },
  (t) => [
    primaryKey({ columns: [t.participantId, t.term] }),
    index('phenotype_observations_term_idx').on(t.term),
  ],
);

/**
 * Completed ingests. A row is written in the same transaction as the data, so a failed ingest
 * leaves nothing behind, and a file (by SHA-256) is ingested into a dataset at most once.
 */
export const ingests = pgTable(
  'ingests',
  {
    id: uuid('id').primaryKey(),
    datasetId: uuidRef('dataset_id', () => datasets.id),
    kind: text('kind').notNull(),
    fileName: text('file_name').notNull(),
    fileSha256: text('file_sha256').notNull(),
    report: jsonb('report').notNull(),
    startedBy: uuid('started_by').references(() => users.id),
    startedAt: timestamptz('started_at').notNull(),
    finishedAt: timestamptz('finished_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('ingests_file_once_idx').on(t.datasetId, t.kind, t.fileSha256),
    check('ingests_kind_check', sql`${t.kind} in ('vcf', 'phenotypes', 'phenopackets')`),
  ],
);
