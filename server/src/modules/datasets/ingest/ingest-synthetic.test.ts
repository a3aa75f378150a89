import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../../db/query-rows.js';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../../../test/test-database.js';
import { systemActor } from '../../actors/actor.js';
import { CohortEngine } from '../../cohorts/cohort-engine.js';
import type { CohortCriteria } from '../../cohorts/cohort-criteria.js';
import { expectedCounts, type CountQuery } from '../../genomics/synth/expected-counts.js';
import { generateSyntheticCohort, type SynthTruth } from '../../genomics/synth/generate-cohort.js';
import { ensureShippedOntologies } from '../../ontology/ontology-import.service.js';
import { OntologyGraph } from '../../ontology/ontology-graph.js';
import { importParticipants } from '../../participants/participant-import.service.js';
import { registerDataset } from '../datasets.service.js';
import { ingestPhenotypes } from './phenotype-ingest.service.js';
import { ingestVcf } from './vcf-ingest.service.js';

const operator = systemActor('test');

/**
 * The whole data path on generated files: participants, VCFs and phenotypes in, and every
 * cohort count checked against an independent count computed straight from the files.
 */
describe(`ingest of a synthetic cohort (${TEST_DRIVER})`, () => {
  let db: TestDatabase;
  let dir = '';
  let truth: SynthTruth;
  let datasetId = '';
  let engine: CohortEngine;
  beforeAll(async () => {
    db = await createTestDatabase();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consentome-synth-'));
    truth = await generateSyntheticCohort({
      participants: 400,
      variants: 300,
      calls: 3_000,
      seed: 99,
      outDir: dir,
      samplesPerFile: 150,
    });
    await ensureShippedOntologies(db.db, operator);
    const stewardId = (
      await queryRows<{ id: string }>(
        db.db,
        sql`insert into users (id, email, display_name, role, password_hash)
            values (gen_random_uuid(), 'synth-steward@test.local', 'S', 'steward', 'x') returning id`,
      )
    )[0]!.id;
    datasetId = (
      await db.db.transaction((tx) =>
        registerDataset(tx, operator, {
          name: 'Synthetic',
          dataUse: { permission: 'GRU' },
          stewardId,
        }),
      )
    ).id;
    engine = new CohortEngine(db.db);
    await engine.ready();
  });
  afterAll(async () => {
    engine.dispose();
    await db.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('imports the participants, every VCF slice and the phenotypes, reporting what it stored', async () => {
    expect(
      await importParticipants(db.db, operator, path.join(dir, truth.participantsFile)),
    ).toEqual({ read: 400, created: 400 });
    let calls = 0;
    const progress: number[] = [];
    for (const file of truth.vcfFiles) {
      const report = await ingestVcf(
        db.db,
        operator,
        { datasetId, path: path.join(dir, file.file) },
        (p) => progress.push(p.calls),
      );
      calls += report.calls;
      expect(report.samples).toBe(file.lastParticipant - file.firstParticipant + 1);
      expect(report.calls).toBe(file.calls);
    }
    expect(calls).toBe(truth.calls);
    expect(progress.length).toBeGreaterThan(0);
    const [stored] = await queryRows<{ n: number }>(
      db.db,
      sql`select count(*)::int as n from variant_calls`,
    );
    expect(stored!.n).toBe(truth.calls);
    const ph = await ingestPhenotypes(db.db, operator, {
      datasetId,
      path: path.join(dir, truth.phenotypesFile),
      format: 'phenotypes',
    });
    expect(ph.observations).toBe(truth.phenotypeRows - ph.duplicates);
  });

  it('counts what an independent reading of the files counts, for every query shape', async () => {
    const index = await engine.current();
    const ontology = await OntologyGraph.load(db.db);
    const variantRows = await queryRows<{ k: string }>(
      db.db,
      sql`select v.chrom || '-' || v.pos || '-' || v.ref || '-' || v.alt as k from variants v order by v.id limit 25`,
    );
    const genes = Object.keys(truth.genes).slice(0, 8);
    const terms = [
      'HP:0000118',
      'HP:0000707',
      'HP:0001250',
      'MONDO:0004992',
      'MONDO:0005015',
      'MONDO:0000001',
    ];
    const thisYear = new Date().getUTCFullYear();
    const pairs: [CountQuery, CohortCriteria][] = [
      ...variantRows.map((r): [CountQuery, CohortCriteria] => [
        { variant: r.k },
        { variants: [r.k] },
      ]),
      ...genes.map((g): [CountQuery, CohortCriteria] => [{ gene: g }, { genes: [g] }]),
      ...terms.map((t): [CountQuery, CohortCriteria] => [
        { term: t, includeDescendants: true },
        { phenotypes: [t] },
      ]),
      [{ sex: 'female' }, { sex: 'female' }],
      [
        { sex: 'male', age: { min: 30, max: 60, asOfYear: thisYear } },
        { sex: 'male', ageMin: 30, ageMax: 60 },
      ],
      [
        { gene: genes[0]!, sex: 'female' },
        { genes: [genes[0]!], sex: 'female' },
      ],
      [
        { term: 'HP:0000118', includeDescendants: true, age: { min: 50, asOfYear: thisYear } },
        { phenotypes: ['HP:0000118'], ageMin: 50 },
      ],
    ];
    const expected = await expectedCounts(
      dir,
      pairs.map((p) => p[0]),
      { ancestorsOf: (c) => ontology.ancestors(c) },
    );
    const actual = pairs.map((p) => index.count(p[1]));
    expect(actual).toEqual(expected);
    expect(expected.filter((n) => n > 0).length).toBeGreaterThan(pairs.length / 2);
  });
});
