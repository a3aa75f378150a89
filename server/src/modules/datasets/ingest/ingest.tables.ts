import { sql } from 'drizzle-orm';
import {
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
 * Non-reference genotype calls. Participants are referred to by their compact number (not the
 * UUID) so 10M calls stay small; `zygosity` is 1 heterozygous, 2 homozygous, 3 hemizygous.
 *
 * No foreign keys: PostgreSQL checks one per inserted row with a trigger, which made up most of
 * an ingest's time (3.7× slower with them on 500k rows). The VCF ingest is the only writer, it
 * takes variant ids from the variants it upserts in the same transaction and the dataset from
 * its preflight, and neither datasets nor variants are ever deleted.
 */
export const variantCalls = pgTable(
  'variant_calls',
  {
    datasetId: uuid('dataset_id').notNull(),
    variantId: integer('variant_id').notNull(),
    participantNum: integer('participant_num').notNull(),
    zygosity: smallint('zygosity').notNull(),
  },
  (t) => [
    // Variant first: the cohort index loads carriers by variant, and so does the SQL baseline.
    primaryKey({ columns: [t.variantId, t.participantNum, t.datasetId] }),
    index('variant_calls_participant_idx').on(t.participantNum),
    check('variant_calls_zygosity_check', sql`${t.zygosity} in (1, 2, 3)`),
  ],
);

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
