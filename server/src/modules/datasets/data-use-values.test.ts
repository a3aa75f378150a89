import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditCount, lastAuditEvent } from '../../test/audit-rows.js';
import { createTestApi, loginAs, makeUser } from '../../test/test-api.js';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../../test/test-database.js';
import { isoDateInDays } from '../../test/iso-dates.js';
import { systemActor } from '../actors/actor.js';
import { assignDacDatasets, createDac } from '../dacs/dacs.service.js';
import { dataUseChanges, datasets } from './datasets.tables.js';

const DATA_USE = `dataUse { permission modifiers version params { timeLimitMonths moratoriumUntil regions institutions users projects } }`;
const REGISTER = `mutation($i: RegisterDatasetInput!) { registerDataset(input: $i) { __typename
  ... on MutationRegisterDatasetSuccess { data { id ${DATA_USE} } }
  ... on ValidationError { fieldErrors { field message } } ... on Error { code message } } }`;
const UPDATE = `mutation($i: UpdateDatasetInput!) { updateDataset(input: $i) { __typename
  ... on MutationUpdateDatasetSuccess { data { id ${DATA_USE} dataUseHistory { id direction status appliedVersion before after } } }
  ... on ValidationError { fieldErrors { field message } } ... on Error { code message } } }`;
const DECIDE = `mutation($c: ID!, $a: Boolean!) { voteOnDataUseChange(changeId: $c, approve: $a) { __typename
  ... on MutationVoteOnDataUseChangeSuccess { data { status appliedVersion } } ... on Error { code message } } }`;

interface DataUseOut {
  permission: string;
  modifiers: string[];
  version: number;
  params: Record<string, unknown>;
}
interface Payload {
  __typename: string;
  data?: {
    id: string;
    dataUse: DataUseOut;
    dataUseHistory?: { id: string; direction: string; status: string; after: string }[];
    status?: string;
    appliedVersion?: number | null;
  };
  fieldErrors?: { field: string; message: string }[];
  message?: string;
}

describe(`DUO modifier values and versioned data use (${TEST_DRIVER})`, () => {
  let db: TestDatabase;
  let gql: ReturnType<typeof createTestApi>;
  let steward = '';
  let board = '';
  let n = 0;
  let dacId = '';
  const governed: string[] = [];
  beforeAll(async () => {
    db = await createTestDatabase();
    gql = createTestApi(db.db);
    steward = await loginAs(gql, await makeUser(db.db, 'steward'));
    const member = await makeUser(db.db, 'ethics_board');
    board = await loginAs(gql, member);
    // A one-member committee (quorum 1): its member's vote decides a widening.
    dacId = (
      await db.db.transaction((tx) =>
        createDac(tx, systemActor('test'), {
          name: 'Values DAC',
          quorum: 1,
          memberIds: [member.id],
        }),
      )
    ).id;
  });
  afterAll(() => db.dispose());

  const register = async (dataUse: Record<string, unknown>) =>
    (
      await gql<{ registerDataset: Payload }>(
        REGISTER,
        { i: { name: `Values ${++n}`, dataUse } },
        { token: steward },
      )
    ).data!.registerDataset;
  const update = async (id: string, dataUse: Record<string, unknown>, token = steward) =>
    (await gql<{ updateDataset: Payload }>(UPDATE, { i: { id, dataUse } }, { token })).data!
      .updateDataset;
  /** The committee's member votes (the dataset moved under the committee first). */
  const decide = async (changeId: string, approve: boolean, token = board) => {
    const [change] = await db.db
      .select()
      .from(dataUseChanges)
      .where(eq(dataUseChanges.id, changeId));
    if (!governed.includes(change!.datasetId)) {
      governed.push(change!.datasetId);
      await db.db.transaction((tx) =>
        assignDacDatasets(tx, systemActor('test'), { dacId, datasetIds: governed }),
      );
    }
    return (
      await gql<{ voteOnDataUseChange: Payload }>(DECIDE, { c: changeId, a: approve }, { token })
    ).data!.voteOnDataUseChange;
  };

  it('stores every value with its modifier, region codes normalised, as version 1', async () => {
    const mor = isoDateInDays(90);
    const res = await register({
      permission: 'HMB',
      modifiers: ['TS', 'MOR', 'GS', 'IS', 'US', 'PS'],
      params: {
        timeLimitMonths: 12,
        moratoriumUntil: mor,
        regions: ['eu', 'UK'],
        institutions: ['Uni A'],
        users: ['u1'],
        projects: ['p1'],
      },
    });
    expect(res.__typename).toBe('MutationRegisterDatasetSuccess');
    expect(res.data!.dataUse).toEqual({
      permission: 'HMB',
      modifiers: ['TS', 'MOR', 'GS', 'IS', 'US', 'PS'],
      version: 1,
      params: {
        timeLimitMonths: 12,
        moratoriumUntil: mor,
        regions: ['EU', 'UK'],
        institutions: ['Uni A'],
        users: ['u1'],
        projects: ['p1'],
      },
    });
  });

  const bad: [string, Record<string, unknown>, string, string][] = [
    [
      'TS = 0',
      { modifiers: ['TS'], params: { timeLimitMonths: 0 } },
      'dataUse.params.timeLimitMonths',
      'at least 1',
    ],
    [
      'TS < 0',
      { modifiers: ['TS'], params: { timeLimitMonths: -6 } },
      'dataUse.params.timeLimitMonths',
      'at least 1',
    ],
    [
      'MOR in the past',
      { modifiers: ['MOR'], params: { moratoriumUntil: '2020-01-01' } },
      'dataUse.params.moratoriumUntil',
      'not in the future',
    ],
    [
      'MOR today',
      { modifiers: ['MOR'], params: { moratoriumUntil: isoDateInDays(0) } },
      'dataUse.params.moratoriumUntil',
      'not in the future',
    ],
    [
      'an unknown region code',
      { modifiers: ['GS'], params: { regions: ['EU', 'XX'] } },
      'dataUse.params.regions.1',
      'unknown region code "XX"',
    ],
    [
      'an empty IS list',
      { modifiers: ['IS'], params: { institutions: [] } },
      'dataUse.params.institutions',
      'must not be empty when IS is set',
    ],
    [
      'an empty US list',
      { modifiers: ['US'], params: { users: [] } },
      'dataUse.params.users',
      'must not be empty when US is set',
    ],
    [
      'an empty PS list',
      { modifiers: ['PS'], params: { projects: [] } },
      'dataUse.params.projects',
      'must not be empty when PS is set',
    ],
    [
      'an empty GS list',
      { modifiers: ['GS'], params: { regions: [] } },
      'dataUse.params.regions',
      'must not be empty when GS is set',
    ],
    [
      'a TS length without TS',
      { modifiers: ['MOR'], params: { timeLimitMonths: 12 } },
      'dataUse.params.timeLimitMonths',
      'TS, which is not set',
    ],
    [
      'regions without GS',
      { modifiers: [], params: { regions: ['EU'] } },
      'dataUse.params.regions',
      'GS, which is not set',
    ],
    [
      'NPOA on POA data',
      { permission: 'POA', modifiers: ['NPOA'] },
      'dataUse.modifiers',
      'NPOA contradicts',
    ],
  ];

  it.each(bad)(
    'registering with %s is refused and changes nothing',
    async (_label, extra, field, message) => {
      const before = await auditCount(db.db);
      const rows = (await db.db.select().from(datasets)).length;
      const res = await register({ permission: 'HMB', ...extra });
      expect(res.__typename).toBe('ValidationError');
      expect(res.fieldErrors).toContainEqual({ field, message: expect.stringContaining(message) });
      expect(await auditCount(db.db)).toBe(before);
      expect(await db.db.select().from(datasets)).toHaveLength(rows);
    },
  );

  it.each(bad)(
    'changing to %s is refused and changes nothing',
    async (_label, extra, field, message) => {
      const created = await register({
        permission: 'HMB',
        modifiers: ['TS'],
        params: { timeLimitMonths: 24 },
      });
      const id = created.data!.id;
      const before = await auditCount(db.db);
      const res = await update(id, { permission: 'HMB', ...extra });
      expect(res.__typename).toBe('ValidationError');
      expect(res.fieldErrors).toContainEqual({ field, message: expect.stringContaining(message) });
      expect(await auditCount(db.db)).toBe(before);
      const [row] = await db.db.select().from(datasets).where(eq(datasets.id, id));
      expect(row).toMatchObject({
        duoModifiers: ['TS'],
        duoParams: { timeLimitMonths: 24 },
        dataUseVersion: 1,
      });
      expect(
        await db.db.select().from(dataUseChanges).where(eq(dataUseChanges.datasetId, id)),
      ).toEqual([]);
    },
  );

  it('a narrowing applies at once as the next version and is recorded', async () => {
    const id = (
      await register({ permission: 'GRU', modifiers: ['TS'], params: { timeLimitMonths: 24 } })
    ).data!.id;
    const res = await update(id, {
      permission: 'HMB',
      modifiers: ['TS', 'NCU'],
      params: { timeLimitMonths: 12 },
    });
    expect(res.__typename).toBe('MutationUpdateDatasetSuccess');
    expect(res.data!.dataUse).toMatchObject({
      permission: 'HMB',
      version: 2,
      params: { timeLimitMonths: 12 },
    });
    expect(res.data!.dataUseHistory).toEqual([
      expect.objectContaining({
        direction: 'NARROWER',
        status: 'APPLIED',
        after: 'HMB · TS (12 months), NCU',
      }),
    ]);
    expect(await lastAuditEvent(db.db)).toMatchObject({ action: 'dataset.update', targetId: id });
  });

  it('a widening waits for the board; the steward cannot approve it; the board applies it', async () => {
    const id = (
      await register({
        permission: 'HMB',
        modifiers: ['TS', 'IS'],
        params: { timeLimitMonths: 12, institutions: ['Uni A'] },
      })
    ).data!.id;
    const wider = {
      permission: 'HMB',
      modifiers: ['TS', 'IS'],
      params: { timeLimitMonths: 36, institutions: ['Uni A', 'Uni B'] },
    };
    const res = await update(id, wider);
    expect(res.__typename).toBe('MutationUpdateDatasetSuccess');
    // Unchanged until approved.
    expect(res.data!.dataUse).toMatchObject({
      version: 1,
      params: { timeLimitMonths: 12, institutions: ['Uni A'] },
    });
    const [pending] = res.data!.dataUseHistory!;
    expect(pending).toMatchObject({ direction: 'WIDER', status: 'PENDING' });

    // A second widening must wait for the first decision.
    const again = await update(id, {
      ...wider,
      params: { timeLimitMonths: 48, institutions: ['Uni A'] },
    });
    expect(again.__typename).toBe('ConflictError');

    const refused = await gql(DECIDE, { c: pending!.id, a: true }, { token: steward });
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const [still] = await db.db
      .select()
      .from(dataUseChanges)
      .where(eq(dataUseChanges.id, pending!.id));
    expect(still).toMatchObject({ status: 'pending', appliedVersion: null });

    const approved = await decide(pending!.id, true);
    expect(approved).toMatchObject({
      __typename: 'MutationVoteOnDataUseChangeSuccess',
      data: { status: 'APPLIED', appliedVersion: 2 },
    });
    const [row] = await db.db.select().from(datasets).where(eq(datasets.id, id));
    expect(row).toMatchObject({
      dataUseVersion: 2,
      duoParams: { timeLimitMonths: 36, institutions: ['Uni A', 'Uni B'] },
    });
    expect(await lastAuditEvent(db.db)).toMatchObject({
      action: 'dataset.data_use.decide',
      targetId: id,
    });
    expect((await decide(pending!.id, true)).__typename).toBe('ConflictError');
  });

  it('a widening asked for before a narrowing cannot be approved over it; rejecting keeps the terms', async () => {
    const id = (
      await register({ permission: 'GRU', modifiers: ['TS'], params: { timeLimitMonths: 12 } })
    ).data!.id;
    const widened = await update(id, { permission: 'GRU', modifiers: [] });
    const pendingId = widened.data!.dataUseHistory![0]!.id;
    const narrowed = await update(id, {
      permission: 'GRU',
      modifiers: ['TS'],
      params: { timeLimitMonths: 6 },
    });
    expect(narrowed.data!.dataUse.version).toBe(2);
    expect((await decide(pendingId, true)).__typename).toBe('ConflictError');
    expect((await decide(pendingId, false)).data).toMatchObject({
      status: 'REJECTED',
      appliedVersion: null,
    });
    const [row] = await db.db.select().from(datasets).where(eq(datasets.id, id));
    expect(row).toMatchObject({
      dataUseVersion: 2,
      duoModifiers: ['TS'],
      duoParams: { timeLimitMonths: 6 },
    });
  });
});
