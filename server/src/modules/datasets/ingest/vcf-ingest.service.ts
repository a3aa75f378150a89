import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Database, Tx } from '../../../db/database.js';
import { pgIntArray, pgTextArray } from '../../../db/pg-array.js';
import { pipelined } from '../../../db/pipelined.js';
import { queryRows } from '../../../db/query-rows.js';
import { ConflictError, ValidationError } from '../../../errors/app-errors.js';
import { isUniqueViolation } from '../../../lib/db-errors.js';
import type { Actor } from '../../actors/actor.js';
import { openVcf } from '../../genomics/vcf/read-vcf.js';
import { VcfFormatError } from '../../genomics/vcf/vcf-format-error.js';
import type { VcfProgress, VcfRecordBatch } from '../../genomics/vcf/vcf-types.js';
import {
  CallSetText,
  DuplicateCallError,
  callStaging,
  ensureCallStagingTable,
  publishCallSets,
} from './call-staging.js';
import { ingestPreflight, recordIngest } from './ingest-preflight.js';
import { repeatedCallMessage } from './repeated-call-message.js';
import { readSampleMap } from './sample-map.js';

/** What an ingest reports when it is done. */
export interface VcfIngestReport {
  ingestId: string;
  datasetId: string;
  fileName: string;
  fileSha256: string;
  records: number;
  variants: number;
  calls: number;
  samples: number;
  /** Calls not stored because the participant has withdrawn. */
  withdrawnCalls: number;
  skipped: Record<string, number>;
  skippedExamples: Record<string, number[]>;
  elapsedMs: number;
}

/** Progress of an ingest, for terminals and the portal. */
export type IngestProgress = VcfProgress & { phase: 'checking' | 'loading' | 'committing' };

interface ParticipantRef {
  id: string;
  num: number;
  pseudonym: string;
  status: string;
}

async function participantsByPseudonym(
  tx: Tx,
  pseudonyms: string[],
): Promise<Map<string, ParticipantRef>> {
  const rows = await queryRows<{ id: string; num: number; pseudonym: string; status: string }>(
    tx,
    sql`select id, num, pseudonym, status from participants where pseudonym = any(${pgTextArray(pseudonyms)}::text[])`,
  );
  return new Map(rows.map((r) => [r.pseudonym, r]));
}

type VariantKey = Pick<VcfRecordBatch['variants'][number], 'chrom' | 'pos' | 'ref' | 'alt'>;
const keyOf = (v: VariantKey) => `${v.chrom}-${v.pos}-${v.ref}-${v.alt}`;

/**
 * Inserts a batch's new variants and returns the id of each variant of the batch; a known variant
 * keeps its id and gains a gene only if it had none. One statement looks each variant up and
 * inserts only the missing ones: an `on conflict do update` wrote a new version of every known
 * variant, most of a later file's. The lookup is a `lateral … limit 1` so that it stays an index
 * probe per variant; as a plain join, the generic plan hashed every row of `variants` (3 ms a
 * file of 175 records after 300 files).
 */
async function upsertVariants(tx: Tx, batch: VcfRecordBatch): Promise<number[]> {
  const unique = new Map<string, VcfRecordBatch['variants'][number]>();
  for (const v of batch.variants) if (!unique.has(keyOf(v))) unique.set(keyOf(v), v);
  const list = [...unique.values()];
  const rows = await queryRows<VariantKey & { id: number; gene_missing: boolean }>(
    tx,
    sql`with input as (
          select * from unnest(${pgTextArray(list.map((v) => v.chrom))}::text[], ${pgIntArray(list.map((v) => v.pos))}::int[],
                               ${pgTextArray(list.map((v) => v.ref))}::text[], ${pgTextArray(list.map((v) => v.alt))}::text[],
                               ${pgTextArray(list.map((v) => v.gene ?? null))}::text[])
            as u(chrom, pos, ref, alt, gene)
        ), found as (
          select i.chrom, i.pos, i.ref, i.alt, i.gene, v.id, v.gene is null as gene_missing
          from input i left join lateral (
            select id, gene from variants v
            where v.chrom = i.chrom and v.pos = i.pos and v.ref = i.ref and v.alt = i.alt limit 1
          ) v on true
        ), added as (
          insert into variants (chrom, pos, ref, alt, gene)
          select chrom, pos, ref, alt, gene from found where id is null
          on conflict (chrom, pos, ref, alt) do nothing
          returning id, chrom, pos, ref, alt
        )
        select id, chrom, pos, ref, alt, false as gene_missing from added
        union all
        select id, chrom, pos, ref, alt, gene_missing and gene is not null from found
        where id is not null`,
  );
  const idByKey = new Map(rows.map((r) => [keyOf(r), r.id]));
  // A known variant without a gene takes the file's (rare: a separate statement).
  const named = rows.filter((r) => r.gene_missing);
  if (named.length)
    await tx.execute(sql`update variants v set gene = u.gene
      from unnest(${pgIntArray(named.map((r) => r.id))}::int[],
                  ${pgTextArray(named.map((r) => unique.get(keyOf(r))!.gene ?? null))}::text[]) as u(id, gene)
      where v.id = u.id and v.gene is null`);
  // A variant that another ingest (of another dataset) added and committed while this statement
  // ran is neither inserted nor in the statement's snapshot: read it again, in a new snapshot.
  const late = list.filter((v) => !idByKey.has(keyOf(v)));
  if (late.length) {
    const more = await queryRows<VariantKey & { id: number }>(
      tx,
      sql`select v.id, v.chrom, v.pos, v.ref, v.alt
          from unnest(${pgTextArray(late.map((v) => v.chrom))}::text[], ${pgIntArray(late.map((v) => v.pos))}::int[],
                      ${pgTextArray(late.map((v) => v.ref))}::text[], ${pgTextArray(late.map((v) => v.alt))}::text[])
            as i(chrom, pos, ref, alt)
          join variants v on v.chrom = i.chrom and v.pos = i.pos and v.ref = i.ref and v.alt = i.alt`,
    );
    for (const r of more) idByKey.set(keyOf(r), r.id);
  }
  return batch.variants.map((v) => idByKey.get(keyOf(v))!);
}

/**
 * Ingests a VCF (plain, gzip or bgzip) into a dataset, all or nothing: samples are mapped to
 * participants (a sample map, or sample names equal to pseudonyms), variants and non-reference
 * calls are stored in one transaction with the ingest record, the cohort-index change and the
 * audit event. A file already ingested into the dataset (same SHA-256) is refused. Calls are
 * stored one row per record-allele with the carriers' participant numbers as arrays, COPYed
 * batch by batch into a staging table, checked for repeats and moved into `variant_call_sets`
 * (see call-staging.ts); memory stays one batch whatever the file's size.
 */
export async function ingestVcf(
  db: Database,
  actor: Actor | null,
  input: { datasetId: unknown; path: string; fileName?: string; sampleMapPath?: string | null },
  onProgress?: (p: IngestProgress) => void,
): Promise<VcfIngestReport> {
  const pre = await ingestPreflight(db, actor, input, 'vcf');
  const started = pre.startedAt.getTime();
  const { datasetId, fileName } = pre;
  const sha = pre.fileSha256;
  const sampleMap = input.sampleMapPath ? await readSampleMap(input.sampleMapPath) : null;

  const reader = await openVcf(input.path, {
    onProgress: (p) => onProgress?.({ ...p, phase: 'loading' }),
  }).catch(toValidationError);
  try {
    const ingestId = randomUUID();
    let withdrawnCalls = 0;
    // Which participant each sample column is; kept outside the transaction to name a repeat.
    let bySample: ParticipantRef[] = [];
    await db
      .transaction(async (tx) => {
        const pseudonymOf = (sample: string) => (sampleMap ? sampleMap.get(sample) : sample);
        const unmapped = reader.header.samples.filter((s) => !pseudonymOf(s));
        if (unmapped.length) {
          throw new ValidationError(
            `VCF line ${reader.header.lines}: ${unmapped.length} sample(s) not in the sample map: ${unmapped.slice(0, 10).join(', ')}`,
            [{ field: 'sampleMap', message: `missing ${unmapped.slice(0, 10).join(', ')}` }],
          );
        }
        // One round trip on a server. What the turn protects (samples, calls) comes after it.
        const [, people] = await pipelined([
          () => takeDatasetIngestTurn(tx, datasetId),
          () =>
            participantsByPseudonym(
              tx,
              reader.header.samples.map((s) => pseudonymOf(s)!),
            ),
          () => ensureCallStagingTable(tx),
        ]);
        const unknown = reader.header.samples.filter((s) => !people.has(pseudonymOf(s)!));
        if (unknown.length) {
          throw new ValidationError(
            `VCF line ${reader.header.lines}: ${unknown.length} sample(s) match no participant: ${unknown.slice(0, 10).join(', ')}`,
            [
              {
                field: 'samples',
                message: `no participant for ${unknown.slice(0, 10).join(', ')}`,
              },
            ],
          );
        }
        bySample = reader.header.samples.map((s) => people.get(pseudonymOf(s)!)!);
        const priorSamples = await storeSamples(tx, datasetId, reader.header.samples, bySample);
        const staging = callStaging(tx, datasetId, ingestId, priorSamples);
        const text = new CallSetText();
        const storeBatch = async (batch: VcfRecordBatch) => {
          const variantIds = await upsertVariants(tx, batch);
          // Carriers by zygosity for each record-allele of the batch; a call is a push of a
          // participant number, no object per call.
          const het: number[][] = batch.variants.map(() => []);
          const hom: number[][] = batch.variants.map(() => []);
          const hemi: number[][] = batch.variants.map(() => []);
          const byZygosity = { het, hom, hemi };
          for (const call of batch.calls) {
            const person = bySample[call.sampleIndex]!;
            if (person.status === 'withdrawn') withdrawnCalls += 1;
            else byZygosity[call.zygosity][call.variant]!.push(person.num);
          }
          for (const [i, v] of batch.variants.entries())
            if (het[i]!.length || hom[i]!.length || hemi[i]!.length)
              text.row(v.line, variantIds[i]!, het[i]!, hom[i]!, hemi[i]!);
          await publishCallSets(staging, text.take());
        };
        // Parse the next batch while the database stores the previous one: with a server
        // database the two run on different cores. One batch in flight keeps memory bounded.
        let inFlight: Promise<void> = Promise.resolve();
        try {
          for await (const batch of reader.batches()) {
            await inFlight;
            inFlight = storeBatch(batch);
            inFlight.catch(() => undefined);
          }
        } finally {
          // A parse error must not roll back under a statement still running.
          await inFlight.catch(() => undefined);
        }
        await inFlight;
        const r = reader.report;
        const report = {
          records: r.records,
          variants: r.variants,
          calls: r.calls - withdrawnCalls,
          samples: r.samples,
          withdrawnCalls,
          skipped: r.skipped,
          skippedExamples: r.skippedExamples,
        };
        await recordIngest(tx, actor, pre, {
          id: ingestId,
          kind: 'vcf',
          report,
          summary: { records: report.records, variants: report.variants, calls: report.calls },
        });
      })
      .catch(async (error: unknown) => {
        if (!(error instanceof DuplicateCallError)) return toValidationError(error);
        const d = error.duplicate;
        const sample =
          reader.header.samples[bySample.findIndex((p) => p.num === d.participantNum)]!;
        throw new ConflictError(await repeatedCallMessage(input.path, sample, d));
      });
    const r = reader.report;
    return {
      ingestId,
      datasetId,
      fileName,
      fileSha256: sha,
      records: r.records,
      variants: r.variants,
      calls: r.calls - withdrawnCalls,
      samples: r.samples,
      withdrawnCalls,
      skipped: r.skipped as Record<string, number>,
      skippedExamples: r.skippedExamples as Record<string, number[]>,
      elapsedMs: Date.now() - started,
    };
  } finally {
    reader.close();
  }
}

// The class of the transaction-scoped lock a VCF ingest holds on its dataset (the second key is
// the dataset id's hash; two datasets sharing a hash merely take turns).
const VCF_INGEST_LOCK_CLASS = 7_270_201;

/**
 * Makes the VCF ingests of one dataset take turns, until the holder commits or rolls back. No
 * key refuses a repeated call in `variant_call_sets`: the check (call-staging.ts) reads the rows
 * committed before it, and which participants were samples already, so an ingest running beside
 * another one of the same dataset would miss the other's calls and store a repeat of them.
 */
async function takeDatasetIngestTurn(tx: Tx, datasetId: string): Promise<void> {
  await tx.execute(
    sql`select pg_advisory_xact_lock(${VCF_INGEST_LOCK_CLASS}, hashtext(${datasetId}))`,
  );
}

/**
 * Records which participant each sample is; a sample id already bound to someone else is refused.
 * Answers the numbers of the participants who were samples of the dataset already (only they can
 * have calls stored in it).
 */
async function storeSamples(
  tx: Tx,
  datasetId: string,
  sampleIds: string[],
  people: ParticipantRef[],
): Promise<number[]> {
  // Insert first and look up only the sample ids that were there already: a file of new samples
  // (the usual case) costs one statement. Looking every id up first cost a hash join over all the
  // dataset's samples under the generic plan, 9 ms a file of 250 samples once it held 40,000.
  let inserted: { sample_id: string }[];
  try {
    inserted = await queryRows<{ sample_id: string }>(
      tx,
      sql`insert into samples (dataset_id, sample_id, participant_id)
        select ${datasetId}, * from unnest(${pgTextArray(sampleIds)}::text[], ${pgTextArray(people.map((p) => p.id))}::uuid[])
        on conflict (dataset_id, sample_id) do nothing
        returning sample_id`,
    );
  } catch (error) {
    if (isUniqueViolation(error))
      throw new ConflictError('A participant appears under two sample ids in this dataset');
    throw error;
  }
  if (inserted.length === sampleIds.length) return [];
  const isNew = new Set(inserted.map((r) => r.sample_id));
  const known = sampleIds.filter((s) => !isNew.has(s));
  // The known ids joined to the dataset's samples (an index lookup each): `sample_id = any(…)`
  // under a generic plan read every sample of the dataset and compared it with each id.
  const existing = await queryRows<{ sample_id: string; participant_id: string }>(
    tx,
    sql`select s.sample_id, s.participant_id
        from unnest(${pgTextArray(known)}::text[]) as u(sample_id)
        join samples s on s.dataset_id = ${datasetId} and s.sample_id = u.sample_id`,
  );
  const bound = new Map(existing.map((r) => [r.sample_id, r.participant_id]));
  const prior: number[] = [];
  for (const [i, s] of sampleIds.entries()) {
    const other = bound.get(s);
    if (other && other !== people[i]!.id)
      throw new ConflictError(
        `Sample ${s} is already bound to another participant in this dataset`,
      );
    if (other) prior.push(people[i]!.num);
  }
  return prior;
}

/**
 * A reader's format error becomes a validation error naming the line; a unique violation (of the
 * samples or the ingest record) becomes a conflict. A repeated call is found by the staging
 * check and named in `ingestVcf`.
 */
function toValidationError(error: unknown): never {
  if (isUniqueViolation(error)) {
    throw new ConflictError(
      'The file repeats a variant call already stored for the same sample in this dataset',
    );
  }
  if (error instanceof VcfFormatError) {
    throw new ValidationError(error.message, [
      { field: 'file', message: `line ${error.line}: ${error.reason}` },
    ]);
  }
  throw error;
}
