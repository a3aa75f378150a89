import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../../test/test-database.js';
import { datasets } from '../datasets/datasets.tables.js';
import { phenotypeObservations, samples } from '../datasets/ingest/ingest.tables.js';
import { participants } from '../participants/participants.tables.js';
import { seedDemo } from './seed-demo.js';

/**
 * The demo patient must be in the reference panel, or no demo study ever asks them and the
 * participant's inbox stays empty in the demo.
 */
describe(`the demo seed (${TEST_DRIVER})`, () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await seedDemo(db.db);
  }, 180_000);
  afterAll(async () => {
    await db.dispose();
  });

  it('puts the demo patient in the Population Reference Panel with a few phenotypes', async () => {
    const [patient] = await db.db
      .select()
      .from(participants)
      .where(eq(participants.pseudonym, 'P-DEMO0001'));
    expect(patient?.userId).toBeTruthy();
    const [panel] = await db.db
      .select()
      .from(datasets)
      .where(eq(datasets.name, 'Population Reference Panel'));
    const held = await db.db
      .select({ datasetId: samples.datasetId })
      .from(samples)
      .where(eq(samples.participantId, patient!.id));
    expect(held.map((s) => s.datasetId)).toEqual([panel!.id]);
    const terms = await db.db
      .select({ term: phenotypeObservations.term, present: phenotypeObservations.present })
      .from(phenotypeObservations)
      .where(eq(phenotypeObservations.participantId, patient!.id));
    expect(terms.map((t) => t.term).sort()).toEqual(['HP:0000098', 'HP:0000822', 'HP:0002099']);
    expect(terms.every((t) => t.present)).toBe(true);
  });
});
