import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUser } from '../../test/test-api.js';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../../test/test-database.js';
import { systemActor } from '../actors/actor.js';
import { dacDatasets, dacMembers, dacs } from '../dacs/dacs.tables.js';
import { registerDataset } from '../datasets/datasets.service.js';
import { studies, studyElections } from '../studies/studies.tables.js';
import { DEFAULT_DAC_NAME, ensureDefaultDac } from './default-dac.js';
import { reviewVotes } from './review.tables.js';

/**
 * A database from before committees: one board, datasets, a request under review with a vote.
 * Start-up turns the board into one committee with the old settings, once.
 */
describe(`the move from one board to a default committee (${TEST_DRIVER})`, () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db?.dispose());

  it('does nothing on an empty database', async () => {
    expect(await ensureDefaultDac(db.db, { quorum: 3, chairEmail: null })).toBeNull();
    expect(await db.db.select().from(dacs)).toEqual([]);
  });

  it('creates the committee from the old settings, with the board, the datasets and the open requests, and only once', async () => {
    const chair = await makeUser(db.db, 'ethics_board');
    const member = await makeUser(db.db, 'ethics_board');
    const owner = await makeUser(db.db, 'researcher');
    const steward = await makeUser(db.db, 'steward');
    const dataset = await db.db.transaction((tx) =>
      registerDataset(tx, systemActor('test'), {
        name: 'Old panel',
        dataUse: { permission: 'GRU', modifiers: [] },
        stewardId: steward.id,
      }),
    );
    const studyId = randomUUID();
    await db.db.insert(studies).values({
      id: studyId,
      ownerId: owner.id,
      title: 'Under review before committees',
      laySummary: 'A request that waited for the board when committees arrived.',
      purpose: { primary: 'GRU', commercial: false },
      datasetIds: [dataset.id],
      status: 'under_review',
    });
    await db.db.insert(reviewVotes).values({
      id: randomUUID(),
      studyId,
      memberId: member.id,
      vote: 'approve',
      rationale: 'Cast under the old board.',
    });

    const dacId = await ensureDefaultDac(db.db, { quorum: 3, chairEmail: chair.email });
    const [dac] = await db.db.select().from(dacs);
    expect(dac).toMatchObject({ id: dacId, name: DEFAULT_DAC_NAME, quorum: 3, chairId: chair.id });
    const members = await db.db.select().from(dacMembers);
    expect(members.map((m) => m.userId).sort()).toEqual([chair.id, member.id].sort());
    expect(await db.db.select().from(dacDatasets)).toMatchObject([
      { datasetId: dataset.id, dacId },
    ]);
    const [election] = await db.db
      .select()
      .from(studyElections)
      .where(eq(studyElections.studyId, studyId));
    expect(election).toMatchObject({ dacId, status: 'open', datasetIds: [dataset.id] });
    const votes = await db.db.select().from(reviewVotes);
    expect(votes.map((v) => v.electionId)).toEqual([election!.id]);

    // Afterwards the committees are the admins' to manage: the settings are not read again.
    expect(await ensureDefaultDac(db.db, { quorum: 5, chairEmail: null })).toBeNull();
    expect(await db.db.select().from(dacs)).toHaveLength(1);
  });
});
