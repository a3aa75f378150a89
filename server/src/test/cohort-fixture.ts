import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { Database, Tx } from '../db/database.js';
import { datasets } from '../modules/datasets/datasets.tables.js';
import {
  phenotypeObservations,
  samples,
  variantCallSets,
  variants,
} from '../modules/datasets/ingest/ingest.tables.js';
import { toCallSets } from '../modules/datasets/ingest/call-sets.js';
import { ontologyParents, ontologyTerms } from '../modules/ontology/ontology.tables.js';
import { participants } from '../modules/participants/participants.tables.js';
import { users } from '../modules/accounts/accounts.tables.js';
import { recordCohortChange } from '../modules/cohort-changes/cohort-changes.js';

/** A small seeded PRNG (mulberry32) so fixtures are the same on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A tiny ontology: HP root with two branches, MONDO cancer with two children. */
export const FIXTURE_TERMS: [string, string, string | null][] = [
  ['HP:0000118', 'Phenotypic abnormality', null],
  ['HP:0000707', 'Abnormality of the nervous system', 'HP:0000118'],
  ['HP:0001250', 'Seizure', 'HP:0000707'],
  ['HP:0001263', 'Global developmental delay', 'HP:0000707'],
  ['HP:0001626', 'Abnormality of the cardiovascular system', 'HP:0000118'],
  ['HP:0001627', 'Abnormal heart morphology', 'HP:0001626'],
  ['MONDO:0004992', 'cancer', null],
  ['MONDO:0005575', 'colorectal cancer', 'MONDO:0004992'],
  ['MONDO:0007254', 'breast cancer', 'MONDO:0004992'],
];

const GENES = ['BRCA1', 'BRCA2', 'TP53', 'APC', 'MLH1', 'SCN1A'];
const CHROMS = ['1', '2', '13', '17', 'X'];
const LEAF_TERMS = ['HP:0001250', 'HP:0001263', 'HP:0001627', 'MONDO:0005575', 'MONDO:0007254'];

/**
 * The fixture ontology (HPO and MONDO terms with their parents; already present is fine) and a
 * steward to own datasets, straight into the tables. Answers the steward's id.
 */
export async function insertFixtureOntologyAndSteward(tx: Tx): Promise<string> {
  await tx
    .insert(ontologyTerms)
    .values(
      FIXTURE_TERMS.map(([curie, label]) => ({ curie, label, ontology: curie.split(':')[0]! })),
    )
    .onConflictDoNothing();
  await tx
    .insert(ontologyParents)
    .values(
      FIXTURE_TERMS.filter((t) => t[2]).map(([child, , parent]) => ({ child, parent: parent! })),
    )
    .onConflictDoNothing();
  const stewardId = randomUUID();
  await tx.insert(users).values({
    id: stewardId,
    email: `fixture-${stewardId.slice(0, 8)}@test.local`,
    displayName: 'Fixture steward',
    role: 'steward',
    passwordHash: 'x',
  });
  return stewardId;
}

/** What the fixture created, for tests to build criteria from. */
export interface CohortFixture {
  datasetIds: string[];
  variantKeys: string[];
  participantIds: string[];
  participantNums: number[];
}

/**
 * Inserts an ontology, `n` participants (some withdrawn, some not discoverable), two datasets,
 * variants with a skewed carrier spectrum and phenotype observations, straight into the tables.
 */
export async function insertCohortFixture(
  db: Database,
  n: number,
  seed = 7,
): Promise<CohortFixture> {
  const rand = prng(seed);
  return db.transaction(async (tx) => {
    const stewardId = await insertFixtureOntologyAndSteward(tx);
    const datasetIds = [randomUUID(), randomUUID()];
    for (const [i, id] of datasetIds.entries()) {
      await tx.insert(datasets).values({
        id,
        name: `fixture-${id.slice(0, 8)}-${i}`,
        description: '',
        stewardId,
        duoPermission: 'GRU',
      });
    }
    const people = Array.from({ length: n }, (_, i) => ({
      id: randomUUID(),
      pseudonym: `P-FX-${seed}-${i}`,
      sex: rand() < 0.5 ? 'female' : 'male',
      birthYear: 1940 + Math.floor(rand() * 70),
      status: rand() < 0.05 ? 'withdrawn' : 'enrolled',
      discoverable: rand() > 0.05,
    }));
    const inserted = await tx
      .insert(participants)
      .values(people)
      .returning({ id: participants.id, num: participants.num });
    const numOf = new Map(inserted.map((r) => [r.id, r.num]));
    const sampleRows = people.flatMap((p, i) =>
      i % 3 === 0
        ? [{ datasetId: datasetIds[0]!, sampleId: p.pseudonym, participantId: p.id }]
        : i % 3 === 1
          ? [{ datasetId: datasetIds[1]!, sampleId: p.pseudonym, participantId: p.id }]
          : [
              { datasetId: datasetIds[0]!, sampleId: p.pseudonym, participantId: p.id },
              { datasetId: datasetIds[1]!, sampleId: `${p.pseudonym}-b`, participantId: p.id },
            ],
    );
    await tx.insert(samples).values(sampleRows);
    const variantRows = Array.from({ length: 400 }, (_, i) => ({
      chrom: CHROMS[i % CHROMS.length]!,
      pos: 1_000 + i * 37,
      ref: 'A',
      alt: i % 2 ? 'G' : 'T',
      gene: GENES[i % GENES.length]!,
    }));
    const vs = await tx.insert(variants).values(variantRows).returning();
    const calls: {
      datasetId: string;
      variantId: number;
      participantNum: number;
      zygosity: number;
    }[] = [];
    const counted = people.filter((p) => p.status !== 'withdrawn' && p.discoverable);
    for (const [vi, v] of vs.entries()) {
      if (vi % 10 === 5) {
        // A private variant: exactly one (counted) carrier, as differencing attacks assume.
        const carrier = counted[Math.floor(rand() * counted.length)]!;
        calls.push({
          datasetId: datasetIds[0]!,
          variantId: v.id,
          participantNum: numOf.get(carrier.id)!,
          zygosity: 1,
        });
        continue;
      }
      // Skewed spectrum: most variants rare, a few common.
      const af = vi % 10 === 0 ? 0.3 : vi % 4 === 0 ? 0.05 : 0.004;
      for (const p of people) {
        if (rand() < af) {
          calls.push({
            datasetId: datasetIds[0]!,
            variantId: v.id,
            participantNum: numOf.get(p.id)!,
            zygosity: rand() < 0.2 ? 2 : 1,
          });
        }
      }
    }
    const sets = toCallSets(calls);
    for (let i = 0; i < sets.length; i += 500)
      await tx.insert(variantCallSets).values(sets.slice(i, i + 500));
    const observations = people.flatMap((p) =>
      LEAF_TERMS.filter(() => rand() < 0.15).map((term) => ({
        participantId: p.id,
        term,
        present: rand() > 0.2,
      })),
    );
    for (let i = 0; i < observations.length; i += 2_000) {
      await tx.insert(phenotypeObservations).values(observations.slice(i, i + 2_000));
    }
    await tx.execute(sql`insert into cohort_changes (kind, ref) values ('ontology', 'fixture')`);
    return {
      datasetIds,
      variantKeys: vs.map((v) => `${v.chrom}-${v.pos}-${v.ref}-${v.alt}`),
      participantIds: people.map((p) => p.id),
      participantNums: people.map((p) => numOf.get(p.id)!),
    };
  });
}

/** What a withdrawal sets on a participant's row. */
export const withdrawal = (): Partial<typeof participants.$inferInsert> => ({
  status: 'withdrawn',
  withdrawnAt: new Date(),
});

/**
 * Changes a fixture participant's row and records the cohort change in `tx`, as the participant
 * services do, so the cohort index sees it (or not, if `tx` rolls back).
 */
export async function changeParticipant(
  tx: Tx,
  participant: { id: string; num: number },
  change: Partial<typeof participants.$inferInsert>,
): Promise<void> {
  await tx.update(participants).set(change).where(eq(participants.id, participant.id));
  await recordCohortChange(tx, 'participant', participant.num);
}
