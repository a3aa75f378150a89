import { currentRecordTerms } from '../record/record-terms.js';
import { currentUploadedCalls } from '../datasets/genotype-upload/uploaded-calls.js';
import { asc, eq, gt, sql } from 'drizzle-orm';
import type { Queryable } from '../../db/database.js';
import { pgIntArray } from '../../db/pg-array.js';
import { queryRows } from '../../db/query-rows.js';
import { ingests } from '../datasets/ingest/ingest.tables.js';
import { CONSENT_SCOPES, DEFAULT_PREFERENCES } from '../consent/preferences.js';
import { OntologyGraph } from '../ontology/ontology-graph.js';
import { CohortIndex, type ParticipantFacts } from './cohort-index.js';
import { cohortChanges } from '../cohort-changes/cohort-changes.tables.js';
import { initRoaring } from './roaring.js';
import { concatUint32 } from './concat-uint32.js';
import type { VariantSite } from '../datasets/ingest/variant-site.js';

const VARIANT_PAGE = 20_000;

const nums = (value: unknown): Uint32Array => Uint32Array.from((value as number[] | null) ?? []);

const CHOICE_CODE: Record<string, string> = { permit: 'p', deny: 'd', ask: 'a' };

async function loadParticipants(db: Queryable, index: CohortIndex, only?: number[]): Promise<void> {
  const filter = only ? sql`where p.num = any(${pgIntArray(only)}::int[])` : sql``;
  const rows = await queryRows<{
    num: number;
    sex: string;
    birth_year: number | null;
    status: string;
    discoverable: boolean;
    purposes: Record<string, string> | null;
    diseases: { id: string; choice: string }[] | null;
    ask_each_time: boolean | null;
    signed_with: string | null;
  }>(
    db,
    sql`select p.num, p.sex, p.birth_year, p.status, p.discoverable, c.purposes, c.diseases, c.ask_each_time, c.signed_with
        from participants p
        left join (select distinct on (participant_id) participant_id, purposes, diseases, ask_each_time, signed_with
                   from consent_preferences order by participant_id, version desc) c on c.participant_id = p.id
        ${filter}`,
  );
  for (const r of rows) {
    const facts: ParticipantFacts = {
      num: r.num,
      sex: r.sex,
      birthYear: r.birth_year,
      eligible: r.status !== 'withdrawn' && r.discoverable,
      active: r.status !== 'withdrawn',
      choices: CONSENT_SCOPES.map(
        (s) => CHOICE_CODE[r.purposes?.[s] ?? DEFAULT_PREFERENCES.purposes[s]] ?? 'a',
      ).join(''),
      askEachTime: r.ask_each_time ?? DEFAULT_PREFERENCES.askEachTime,
      signedConsent: r.signed_with !== null,
      statedOwn: r.purposes !== null,
      diseaseChoices: (r.diseases ?? []).map((d) => [d.id, CHOICE_CODE[d.choice] ?? 'a'] as const),
    };
    index.upsertParticipant(facts);
  }
}

async function loadDatasets(db: Queryable, index: CohortIndex, datasetId?: string): Promise<void> {
  const filter = datasetId ? sql`where s.dataset_id = ${datasetId}` : sql``;
  const rows = await queryRows<{ dataset_id: string; nums: number[] }>(
    db,
    sql`select s.dataset_id, array_agg(p.num order by p.num) as nums
        from samples s join participants p on p.id = s.participant_id ${filter} group by s.dataset_id`,
  );
  for (const r of rows) index.setDatasetMembers(r.dataset_id, nums(r.nums));
}

/** Loads every variant and all its carriers, in pages. */
async function loadVariants(db: Queryable, index: CohortIndex): Promise<void> {
  // Pages are id ranges (ids are a dense serial), so each page's reads touch only that range
  // (an index range scan of `variant_call_sets`) instead of sorting everything after a cursor.
  const [bounds] = await queryRows<{ max: number | null }>(
    db,
    sql`select max(id) as max from variants`,
  );
  const maxId = bounds?.max ?? 0;
  for (let after = 0; after < maxId; after += VARIANT_PAGE) {
    const upTo = after + VARIANT_PAGE;
    const rows = await queryRows<VariantSite>(
      db,
      sql`select id, chrom, pos, ref, alt, gene from variants where id > ${after} and id <= ${upTo}`,
    );
    // The carriers as stored, one row per dataset (and ingest) that called the variant.
    const sets = await queryRows<{
      variant_id: number;
      het: number[];
      hom: number[];
      hemi: number[];
    }>(
      db,
      sql`select variant_id, het, hom, hemi from variant_call_sets
          where variant_id > ${after} and variant_id <= ${upTo}`,
    );
    const carriersOf = new Map<
      number,
      { carriers: number[][]; hom: number[][]; hemi: number[][] }
    >();
    const entry = (id: number) => {
      let e = carriersOf.get(id);
      if (!e) carriersOf.set(id, (e = { carriers: [], hom: [], hemi: [] }));
      return e;
    };
    for (const r of sets) {
      const e = entry(r.variant_id);
      e.carriers.push(r.het, r.hom, r.hemi);
      e.hom.push(r.hom);
      e.hemi.push(r.hemi);
    }
    for (const [id, own] of await uploadedCarriers(db, after, upTo)) {
      const e = entry(id);
      e.carriers.push(own.carriers);
      e.hom.push(own.hom);
      e.hemi.push(own.hemi);
    }
    for (const r of rows) {
      const e = carriersOf.get(r.id);
      index.setVariant({
        id: r.id,
        chrom: r.chrom,
        pos: r.pos,
        ref: r.ref,
        alt: r.alt,
        gene: r.gene,
        carriers: sortedUnion(e?.carriers),
        homozygous: sortedUnion(e?.hom),
        hemizygous: sortedUnion(e?.hemi),
      });
    }
  }
}

/**
 * The numbers of several lists, sorted, without repeats: a participant may carry a variant in two
 * datasets, or in a dataset and an upload.
 */
function sortedUnion(lists: number[][] | undefined): Uint32Array {
  if (!lists?.length) return new Uint32Array();
  const all = concatUint32(lists);
  all.sort();
  let kept = 0;
  for (let i = 0; i < all.length; i++)
    if (i === 0 || all[i] !== all[kept - 1]) all[kept++] = all[i]!;
  return all.subarray(0, kept);
}

/**
 * Carriers from participants' own genotype uploads (not retracted) of the variants in an id
 * range: read apart from `variant_call_sets` so the dataset query keeps its index range scan.
 */
async function uploadedCarriers(
  db: Queryable,
  after: number,
  upTo: number,
): Promise<Map<number, { carriers: number[]; hom: number[]; hemi: number[] }>> {
  const rows = await queryRows<{
    id: number;
    carriers: number[];
    hom: number[] | null;
    hemi: number[] | null;
  }>(
    db,
    sql`select c.variant_id as id, array_agg(distinct c.participant_num) as carriers,
          array_agg(distinct c.participant_num) filter (where c.zygosity = 2) as hom,
          array_agg(distinct c.participant_num) filter (where c.zygosity = 3) as hemi
        from ${currentUploadedCalls()} c
        where c.variant_id > ${after} and c.variant_id <= ${upTo}
        group by c.variant_id`,
  );
  return new Map(
    rows.map((r) => [r.id, { carriers: r.carriers, hom: r.hom ?? [], hemi: r.hemi ?? [] }]),
  );
}

/**
 * Every term with its participants: present observations from ingests and the conditions in
 * participants' records (self-reported or a clinician's), then the clinician-confirmed ones
 * alone. A term nobody holds any more (a retraction) is emptied, not left stale.
 */
async function loadTerms(db: Queryable, index: CohortIndex): Promise<void> {
  const rows = await queryRows<{ term: string; nums: number[] }>(
    db,
    sql`select t.term, array_agg(distinct p.num) as nums
        from (select o.participant_id, o.term from phenotype_observations o where o.present
              union all select r.participant_id, r.term from ${currentRecordTerms()} r) t
        join participants p on p.id = t.participant_id
        group by t.term`,
  );
  const held = new Set(rows.map((r) => r.term));
  for (const [term] of [...index.termMembers()])
    if (!held.has(term)) index.setTerm(term, new Uint32Array());
  for (const r of rows) index.setTerm(r.term, nums(r.nums));
  await loadConfirmedTerms(db, index);
}

/** The terms clinicians confirmed, for criteria that take only a clinician's word. */
export async function loadConfirmedTerms(db: Queryable, index: CohortIndex): Promise<void> {
  const rows = await queryRows<{ term: string; nums: number[] }>(
    db,
    sql`select r.term, array_agg(distinct p.num) as nums
        from ${currentRecordTerms()} r join participants p on p.id = r.participant_id
        where r.source = 'clinician' group by r.term`,
  );
  const held = new Set(rows.map((r) => r.term));
  for (const term of index.confirmedTermKeys())
    if (!held.has(term)) index.setConfirmedTerm(term, new Uint32Array());
  for (const r of rows) index.setConfirmedTerm(r.term, nums(r.nums));
}

/** Builds the whole index from the database. */
export async function buildCohortIndex(
  db: Queryable,
): Promise<{ index: CohortIndex; changeSeq: number }> {
  await initRoaring();
  // Read the change log's position first: anything after it is applied by the next sync.
  const [last] = await db
    .select({ seq: cohortChanges.seq })
    .from(cohortChanges)
    .orderBy(sql`seq desc`)
    .limit(1);
  const index = new CohortIndex(await OntologyGraph.load(db));
  await loadParticipants(db, index);
  await loadDatasets(db, index);
  await loadVariants(db, index);
  await loadTerms(db, index);
  return { index, changeSeq: last?.seq ?? 0 };
}

/**
 * Applies the change log after `afterSeq` to the index and returns the new position. Changes are
 * coalesced first, so a run of ingests costs one reload of what they touched, not one each.
 */
export async function applyCohortChanges(
  db: Queryable,
  index: CohortIndex,
  afterSeq: number,
): Promise<number> {
  const changes = await db
    .select()
    .from(cohortChanges)
    .where(gt(cohortChanges.seq, afterSeq))
    .orderBy(asc(cohortChanges.seq));
  if (changes.length === 0) return afterSeq;
  const participantNums = new Set<number>();
  let allParticipants = false;
  let ontology = false;
  let variants = false;
  let terms = false;
  const datasetIds = new Set<string>();
  for (const change of changes) {
    if (change.kind === 'participant' && change.ref === 'all') allParticipants = true;
    else if (change.kind === 'participant') participantNums.add(Number(change.ref));
    else if (change.kind === 'ontology') ontology = terms = true;
    // A record entry changes terms only (its participant's facts are unchanged).
    else if (change.kind === 'record') terms = true;
    // A participant's own genotype file adds (or retracts) calls on variants.
    else if (change.kind === 'genotypes') variants = true;
    else if (change.kind === 'ingest') {
      const [ingest] = await db.select().from(ingests).where(eq(ingests.id, change.ref));
      if (!ingest) continue;
      // Samples may have created participants, and phenopackets may have updated them.
      allParticipants = true;
      datasetIds.add(ingest.datasetId);
      if (ingest.kind === 'vcf') variants = true;
      else terms = true;
    }
  }
  if (ontology) index.setOntology(await OntologyGraph.load(db));
  if (allParticipants) await loadParticipants(db, index);
  else if (participantNums.size) await loadParticipants(db, index, [...participantNums]);
  for (const id of datasetIds) await loadDatasets(db, index, id);
  if (variants) await loadVariants(db, index);
  if (terms) await loadTerms(db, index);
  return changes[changes.length - 1]!.seq;
}
