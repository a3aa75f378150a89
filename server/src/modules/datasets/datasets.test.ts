import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditCount, lastAuditEvent } from '../../test/audit-rows.js';
import { createTestApi, loginAs, makeUser } from '../../test/test-api.js';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../../test/test-database.js';

const REGISTER = `mutation($i: RegisterDatasetInput!) { registerDataset(input: $i) {
  __typename
  ... on MutationRegisterDatasetSuccess { data { id name dataUse { permission diseases modifiers terms { code id plain } } steward { id } } }
  ... on ValidationError { fieldErrors { field message } }
  ... on Error { code message } } }`;
const UPDATE = `mutation($i: UpdateDatasetInput!) { updateDataset(input: $i) {
  __typename ... on MutationUpdateDatasetSuccess { data { name dataUse { permission modifiers } } } ... on Error { code message } } }`;

type RegisterResult = {
  registerDataset: {
    __typename: string;
    data: {
      id: string;
      name: string;
      dataUse: {
        permission: string;
        diseases: string[];
        modifiers: string[];
        terms: { code: string; id: string }[];
      };
      steward: { id: string };
    };
    fieldErrors?: { field: string; message: string }[];
  };
};

describe(`datasets on ${TEST_DRIVER}`, () => {
  let db: TestDatabase;
  let gql: ReturnType<typeof createTestApi>;
  let stewardToken = '';
  let stewardId = '';
  beforeAll(async () => {
    db = await createTestDatabase();
    gql = createTestApi(db.db);
    const steward = await makeUser(db.db, 'steward');
    stewardId = steward.id;
    stewardToken = await loginAs(gql, steward);
  });
  afterAll(() => db.dispose());

  it('a steward registers a dataset with DUO terms; it is theirs, labelled, and audited', async () => {
    const res = await gql<RegisterResult>(
      REGISTER,
      {
        i: {
          name: 'CRC cohort',
          description: 'Colorectal',
          dataUse: { permission: 'DS', diseases: ['MONDO:0005575'], modifiers: ['IRB', 'PUB'] },
        },
      },
      { token: stewardToken },
    );
    const data = res.data!.registerDataset.data;
    expect(data.dataUse).toMatchObject({
      permission: 'DS',
      diseases: ['MONDO:0005575'],
      modifiers: ['IRB', 'PUB'],
    });
    expect(data.dataUse.terms.map((t) => t.id)).toEqual([
      'DUO:0000007',
      'DUO:0000021',
      'DUO:0000019',
    ]);
    expect(data.steward.id).toBe(stewardId);
    const event = await lastAuditEvent(db.db);
    expect(event).toMatchObject({
      action: 'dataset.register',
      targetId: data.id,
      actorId: stewardId,
    });
    expect(JSON.parse(event!.payload)).toEqual({
      dataUse: {
        permission: 'DS',
        diseases: ['MONDO:0005575'],
        modifiers: ['IRB', 'PUB'],
        params: {},
      },
      collectionConsent: { kind: 'recontact_each_use', duoCodes: [] },
    });
  });

  const bad: [string, Record<string, unknown>, string][] = [
    ['DS without a disease', { permission: 'DS' }, 'dataUse.diseases'],
    ['diseases on GRU', { permission: 'GRU', diseases: ['MONDO:0004992'] }, 'dataUse.diseases'],
    ['a malformed disease CURIE', { permission: 'DS', diseases: ['cancer'] }, 'dataUse.diseases.0'],
    ['a repeated modifier', { permission: 'HMB', modifiers: ['NPU', 'NPU'] }, 'dataUse.modifiers'],
    ['NPOA under POA', { permission: 'POA', modifiers: ['NPOA'] }, 'dataUse.modifiers'],
  ];
  for (const [label, dataUse, field] of bad) {
    it(`refuses ${label} and writes nothing`, async () => {
      const before = await auditCount(db.db);
      const res = await gql<RegisterResult>(
        REGISTER,
        { i: { name: `bad ${label}`, dataUse } },
        { token: stewardToken },
      );
      expect(res.data?.registerDataset.__typename).toBe('ValidationError');
      expect(res.data?.registerDataset.fieldErrors?.map((f) => f.field)).toContain(field);
      expect(await auditCount(db.db)).toBe(before);
    });
  }

  it('an unknown DUO code is refused by the schema itself', async () => {
    const res = await gql(
      REGISTER,
      { i: { name: 'x dataset', dataUse: { permission: 'ANY' } } },
      { token: stewardToken },
    );
    expect(res.errors?.[0]?.message).toMatch(/DuoPermission/);
  });

  it('a duplicate name is a conflict', async () => {
    await gql(
      REGISTER,
      { i: { name: 'Unique name', dataUse: { permission: 'GRU' } } },
      { token: stewardToken },
    );
    const res = await gql<{ registerDataset: { __typename: string } }>(
      REGISTER,
      { i: { name: 'Unique name', dataUse: { permission: 'HMB' } } },
      { token: stewardToken },
    );
    expect(res.data?.registerDataset.__typename).toBe('ConflictError');
  });

  it('only its own steward (or an admin) changes a dataset', async () => {
    const created = await gql<RegisterResult>(
      REGISTER,
      { i: { name: 'Editable', dataUse: { permission: 'GRU' } } },
      { token: stewardToken },
    );
    const id = created.data!.registerDataset.data.id;
    const otherToken = await loginAs(gql, await makeUser(db.db, 'steward'));
    const before = await auditCount(db.db);
    const refused = await gql<{ updateDataset: { __typename: string } }>(
      UPDATE,
      { i: { id, name: 'Hijacked' } },
      { token: otherToken },
    );
    expect(refused.data?.updateDataset.__typename).toBe('ForbiddenError');
    expect(await auditCount(db.db)).toBe(before);

    const ok = await gql<{
      updateDataset: {
        data: { name: string; dataUse: { permission: string; modifiers: string[] } };
      };
    }>(
      UPDATE,
      { i: { id, name: 'Edited', dataUse: { permission: 'HMB', modifiers: ['NCU'] } } },
      { token: stewardToken },
    );
    expect(ok.data?.updateDataset.data).toEqual({
      name: 'Edited',
      dataUse: { permission: 'HMB', modifiers: ['NCU'] },
    });
    expect(await lastAuditEvent(db.db)).toMatchObject({ action: 'dataset.update', targetId: id });
  });

  it('every signed-in role sees the catalogue', async () => {
    const token = await loginAs(gql, await makeUser(db.db, 'participant'));
    const res = await gql<{ datasets: { name: string }[] }>(`{ datasets { name } }`, {}, { token });
    expect(res.data?.datasets.map((d) => d.name)).toContain('CRC cohort');
  });
});
