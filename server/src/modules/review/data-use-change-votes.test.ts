import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  mutate,
  openAccessFixture,
  signIn,
  type AccessFixture,
} from '../../test/access-fixture.js';
import { auditEventsWithAction } from '../../test/audit-rows.js';
import { loginAs, makeUser } from '../../test/test-api.js';
import { TEST_DRIVER } from '../../test/test-database.js';
import { systemActor } from '../actors/actor.js';
import { createDac } from '../dacs/dacs.service.js';
import { dataUseChanges, datasets } from '../datasets/datasets.tables.js';
import { notifications } from '../notifications/notifications.tables.js';
import { dataUseChangeVotes } from './review.tables.js';

/**
 * Widening a dataset's data use is decided by the dataset's own committee: the demo's panel is
 * governed by the Population Panel DAC (both board accounts, quorum 2, Prof Ethan Board chairs).
 */
describe(`widening a data use is the dataset's committee's decision (${TEST_DRIVER})`, () => {
  let f: AccessFixture;
  let outsider: { id: string; token: string };
  let changeId = '';

  beforeAll(async () => {
    f = await openAccessFixture();
    // A board member who sits on another committee only.
    const user = await makeUser(f.db.db, 'ethics_board');
    await f.db.db.transaction((tx) =>
      createDac(tx, systemActor('test'), { name: 'Methods DAC', quorum: 1, memberIds: [user.id] }),
    );
    outsider = { id: user.id, token: await loginAs(f.gql, user) };
    const steward = await signIn(f.gql, 'steward@demo.local');
    // The panel says "no commercial use" (NCU); dropping it widens its data use.
    const widened = await mutate(f, steward, 'updateDataset(input: $datasetUpdate)', 'id', {
      datasetUpdate: { id: f.panelId, dataUse: { permission: 'GRU', modifiers: [] } },
    });
    expect(widened.__typename).toBe('MutationUpdateDatasetSuccess');
    const [change] = await f.db.db
      .select()
      .from(dataUseChanges)
      .where(and(eq(dataUseChanges.datasetId, f.panelId), eq(dataUseChanges.status, 'pending')));
    changeId = change!.id;
  }, 180_000);
  afterAll(() => f.dispose());

  const vote = (token: string, approve: boolean) =>
    mutate(f, token, 'voteOnDataUseChange(changeId: $changeId, approve: $approve)', 'status', {
      changeId,
      approve,
    });
  const state = async () =>
    JSON.stringify([
      await f.db.db.select().from(dataUseChangeVotes),
      await f.db.db.select().from(dataUseChanges).where(eq(dataUseChanges.id, changeId)),
      await f.db.db.select().from(datasets).where(eq(datasets.id, f.panelId)),
      // Refusals may be audited as refusals; no vote or decision is.
      (await auditEventsWithAction(f.db.db, 'dataset.data_use.vote')).length,
      (await auditEventsWithAction(f.db.db, 'dataset.data_use.decide')).length,
    ]);
  const reviewsOf = async (token: string) =>
    (
      await f.gql<{ dataUseReviews: { pending: { change: { id: string } }[] } }>(
        `{ dataUseReviews { pending { change { id } } } }`,
        {},
        { token },
      )
    ).data!.dataUseReviews.pending.map((r) => r.change.id);

  it('only the committee’s members are asked and see it; a member of another committee and an admin are refused, nothing written', async () => {
    const asked = await f.db.db
      .select({ userId: notifications.userId })
      .from(notifications)
      .where(eq(notifications.kind, 'data_use_review'));
    expect(asked.map((n) => n.userId)).not.toContain(outsider.id);
    expect(asked.length).toBe(2);
    expect(await reviewsOf(f.tokens.ethics)).toContain(changeId);
    expect(await reviewsOf(outsider.token)).not.toContain(changeId);

    const before = await state();
    expect(await vote(outsider.token, true)).toMatchObject({
      __typename: 'ForbiddenError',
      message: expect.stringMatching(/committee governing this dataset/),
    });
    await expect(vote(f.tokens.admin, true)).rejects.toThrow(/FORBIDDEN/);
    expect(await state()).toBe(before);
  });

  it('the committee’s quorum and chair decide: one vote waits, the chair’s decides once the quorum is in', async () => {
    expect(await vote(f.tokens.ethics2, false)).toMatchObject({ data: { status: 'PENDING' } });
    expect(await vote(f.tokens.ethics2, false)).toMatchObject({ __typename: 'ConflictError' });
    // One approval, one rejection: a majority rule would reject; the chair's approval decides.
    expect(await vote(f.tokens.ethics, true)).toMatchObject({ data: { status: 'APPLIED' } });
    const [panel] = await f.db.db.select().from(datasets).where(eq(datasets.id, f.panelId));
    expect(panel!.duoModifiers).toEqual([]);
    const votes = await f.db.db.select().from(dataUseChangeVotes);
    expect(votes.map((v) => v.vote).sort()).toEqual(['approve', 'reject']);
    expect(new Set(votes.map((v) => v.dacId)).size).toBe(1);
  });
});
