import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Database } from '../../../db/database.js';
import { pgIntArray, pgTextArray } from '../../../db/pg-array.js';
import { queryRows } from '../../../db/query-rows.js';
import { ValidationError } from '../../../errors/app-errors.js';
import type { Actor } from '../../actors/actor.js';
import { recordCohortChange } from '../../cohort-changes/cohort-changes.js';
import { PhenotypeFormatError } from '../../genomics/phenotypes/phenotype-format-error.js';
import { readPhenopackets } from '../../genomics/phenotypes/read-phenopackets.js';
import { readPhenotypeTable } from '../../genomics/phenotypes/read-phenotype-table.js';
import type { PhenotypeImport } from '../../genomics/phenotypes/phenotype-types.js';
import { OntologyGraph } from '../../ontology/ontology-graph.js';
import { ingestPreflight, recordIngest } from './ingest-preflight.js';

/** The phenotype file formats understood. */
export type PhenotypeFormat = 'phenotypes' | 'phenopackets';

/** What a phenotype ingest reports. */
export interface PhenotypeIngestReport {
  ingestId: string;
  datasetId: string;
  fileName: string;
  fileSha256: string;
  observations: number;
  participants: number;
  duplicates: number;
  demographicsUpdated: number;
  elapsedMs: number;
}

/**
 * Ingests a phenotype table (CSV/TSV) or GA4GH Phenopackets v2 into a dataset, all or nothing:
 * every term must be in the imported ontologies and every participant registered. Observations
 * replace earlier ones for the same participant and term; sex and birth year from phenopackets
 * update the participant record.
 */
export async function ingestPhenotypes(
  db: Database,
  actor: Actor | null,
  input: { datasetId: unknown; path: string; format: PhenotypeFormat; fileName?: string },
): Promise<PhenotypeIngestReport> {
  const pre = await ingestPreflight(db, actor, input, input.format);
  const started = pre.startedAt.getTime();
  const { datasetId, fileName } = pre;
  const sha = pre.fileSha256;
  const ontology = await OntologyGraph.load(db);
  const options = { knownTerm: (curie: string) => ontology.has(curie) };
  let parsed: PhenotypeImport;
  try {
    parsed =
      input.format === 'phenopackets'
        ? await readPhenopackets(input.path, options)
        : await readPhenotypeTable(input.path, options);
  } catch (error) {
    if (error instanceof PhenotypeFormatError)
      throw new ValidationError(error.message, [{ field: 'file', message: error.message }]);
    throw error;
  }
  const pseudonyms = [
    ...new Set([
      ...parsed.observations.map((o) => o.participant),
      ...parsed.participants.map((p) => p.participant),
    ]),
  ];
  const ingestId = randomUUID();
  let demographicsUpdated = 0;
  await db.transaction(async (tx) => {
    const people = await queryRows<{ id: string; pseudonym: string }>(
      tx,
      sql`select id, pseudonym from participants where pseudonym = any(${pgTextArray(pseudonyms)}::text[])`,
    );
    const idOf = new Map(people.map((p) => [p.pseudonym, p.id]));
    const unknown = pseudonyms.filter((p) => !idOf.has(p));
    if (unknown.length) {
      throw new ValidationError(
        `${unknown.length} participant(s) are not registered: ${unknown.slice(0, 10).join(', ')}`,
        [{ field: 'file', message: `unknown participants ${unknown.slice(0, 10).join(', ')}` }],
      );
    }
    const obs = parsed.observations;
    if (obs.length) {
      await tx.execute(sql`insert into phenotype_observations (participant_id, term, present, onset)
        select * from unnest(${pgTextArray(obs.map((o) => idOf.get(o.participant)!))}::uuid[], ${pgTextArray(obs.map((o) => o.term))}::text[],
                             ${`{${obs.map((o) => o.present).join(',')}}`}::boolean[], ${pgTextArray(obs.map((o) => o.onset ?? null))}::text[])
        on conflict (participant_id, term) do update set present = excluded.present, onset = excluded.onset`);
    }
    await tx.execute(sql`insert into samples (dataset_id, sample_id, participant_id)
      select ${datasetId}, * from unnest(${pgTextArray(pseudonyms)}::text[], ${pgTextArray(pseudonyms.map((p) => idOf.get(p)!))}::uuid[])
      on conflict do nothing`);
    const demo = parsed.participants.filter((p) => p.sex || p.birthYear);
    if (demo.length) {
      await tx.execute(sql`update participants p set sex = coalesce(d.s, p.sex), birth_year = coalesce(nullif(d.y, 0), p.birth_year)
        from unnest(${pgTextArray(demo.map((d) => idOf.get(d.participant)!))}::uuid[], ${pgTextArray(demo.map((d) => d.sex ?? null))}::text[],
                    ${pgIntArray(demo.map((d) => d.birthYear ?? 0))}::int[]) as d(id, s, y)
        where p.id = d.id`);
      demographicsUpdated = demo.length;
      await recordCohortChange(tx, 'participant', 'all');
    }
    const report = {
      observations: obs.length,
      participants: pseudonyms.length,
      duplicates: parsed.duplicates,
      demographicsUpdated,
    };
    await recordIngest(tx, actor, pre, {
      id: ingestId,
      kind: input.format,
      report,
      summary: report,
    });
  });
  return {
    ingestId,
    datasetId,
    fileName,
    fileSha256: sha,
    observations: parsed.observations.length,
    participants: pseudonyms.length,
    duplicates: parsed.duplicates,
    demographicsUpdated,
    elapsedMs: Date.now() - started,
  };
}
