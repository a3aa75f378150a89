import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditCount, lastAuditEvent } from '../../test/audit-rows.js';
import { actorOf, createTestApi, loginAs, makeUser } from '../../test/test-api.js';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../../test/test-database.js';
import { setCollectionConsent } from './collection-consent.service.js';
import { registerDataset } from './datasets.service.js';
import { datasets } from './datasets.tables.js';

const REGISTER = `mutation($i: RegisterDatasetInput!) { registerDataset(input: $i) {
  __typename
  ... on MutationRegisterDatasetSuccess { data { id collectionConsent { kind duoCodes summary } } }
  ... on ValidationError { fieldErrors { field message } } ... on Error { code message } } }`;
const SET = `mutation($d: ID!, $c: CollectionConsentInput!) { setCollectionConsent(datasetId: $d, collectionConsent: $c) {
  __typename
  ... on MutationSetCollectionConsentSuccess { data { collectionConsent { kind duoCodes } } }
  ... on ValidationError { fieldErrors { field message } } ... on Error { code message } } }`;

interface Payload {
  __typename: string;
  data?: { id: string; collectionConsent: { kind: string; duoCodes: string[]; summary?: string } };
  fieldErrors?: { field: string }[];
}

describe(`the consent given at collection, recorded per dataset (${TEST_DRIVER})`, () => {
  let db: TestDatabase;
  let gql: ReturnType<typeof createTestApi>;
  let token = '';
  let otherToken = '';
  beforeAll(async () => {
    db = await createTestDatabase();
    gql = createTestApi(db.db);
    token = await loginAs(gql, await makeUser(db.db, 'steward'));
    otherToken = await loginAs(gql, await makeUser(db.db, 'steward'));
  });
  afterAll(() => db.dispose());

  const register = async (name: string, collectionConsent?: Record<string, unknown>) =>
    (
      await gql<{ registerDataset: Payload }>(
        REGISTER,
        { i: { name, dataUse: { permission: 'GRU' }, collectionConsent } },
        { token },
      )
    ).data!.registerDataset;

  it('a steward records it at registration; none given means re-contact for each use', async () => {
    const broad = await register('Broad biobank', { kind: 'BROAD_GRU' });
    expect(broad.data!.collectionConsent).toMatchObject({ kind: 'BROAD_GRU', duoCodes: [] });
    expect(broad.data!.collectionConsent.summary).toMatch(/any research/);
    const specific = await register('Specific biobank', {
      kind: 'SPECIFIC',
      duoCodes: ['HMB', 'MDS'],
    });
    expect(specific.data!.collectionConsent).toMatchObject({
      kind: 'SPECIFIC',
      duoCodes: ['HMB', 'MDS'],
    });
    const unsaid = await register('Old biobank');
    expect(unsaid.data!.collectionConsent.kind).toBe('RECONTACT_EACH_USE');
    const event = await lastAuditEvent(db.db);
    expect(JSON.parse(event!.payload).collectionConsent).toEqual({
      kind: 'recontact_each_use',
      duoCodes: [],
    });
  });

  it('changing it later is audited with the record before and after', async () => {
    const id = (await register('Changing biobank', { kind: 'BROAD_HMB' })).data!.id;
    const res = await gql<{ setCollectionConsent: Payload }>(
      SET,
      { d: id, c: { kind: 'RECONTACT_EACH_USE' } },
      { token },
    );
    expect(res.data!.setCollectionConsent.data!.collectionConsent.kind).toBe('RECONTACT_EACH_USE');
    const event = await lastAuditEvent(db.db);
    expect(event).toMatchObject({ action: 'dataset.collection_consent.change', targetId: id });
    expect(JSON.parse(event!.payload)).toEqual({
      before: { kind: 'broad_hmb', duoCodes: [] },
      after: { kind: 'recontact_each_use', duoCodes: [] },
    });
  });

  it('another steward may not change it, and nothing changes', async () => {
    const id = (await register('Guarded biobank', { kind: 'BROAD_GRU' })).data!.id;
    const before = await auditCount(db.db);
    const res = await gql<{ setCollectionConsent: Payload }>(
      SET,
      { d: id, c: { kind: 'RECONTACT_EACH_USE' } },
      { token: otherToken },
    );
    expect(res.data!.setCollectionConsent.__typename).toBe('ForbiddenError');
    expect(await auditCount(db.db)).toBe(before);
    const [row] = await db.db.select().from(datasets).where(eq(datasets.id, id));
    expect(row!.collectionConsent).toBe('broad_gru');
  });

  describe('bad input changes nothing', () => {
    it('`specific` without DUO codes, at registration and later', async () => {
      const before = await auditCount(db.db);
      const res = await register('No codes biobank', { kind: 'SPECIFIC' });
      expect(res.__typename).toBe('ValidationError');
      expect(res.fieldErrors!.map((f) => f.field)).toContain('collectionConsent.duoCodes');
      const id = (await register('Kept biobank', { kind: 'BROAD_GRU' })).data!.id;
      const mid = await auditCount(db.db);
      expect(mid).toBe(before + 1);
      const set = await gql<{ setCollectionConsent: Payload }>(
        SET,
        { d: id, c: { kind: 'SPECIFIC', duoCodes: [] } },
        { token },
      );
      expect(set.data!.setCollectionConsent.__typename).toBe('ValidationError');
      expect(await auditCount(db.db)).toBe(mid);
      const [row] = await db.db.select().from(datasets).where(eq(datasets.id, id));
      expect(row!.collectionConsent).toBe('broad_gru');
      const names = (await db.db.select().from(datasets)).map((d) => d.name);
      expect(names).not.toContain('No codes biobank');
    });

    it('DUO codes on a broad consent', async () => {
      const res = await register('Codes on broad', { kind: 'BROAD_GRU', duoCodes: ['HMB'] });
      expect(res.__typename).toBe('ValidationError');
    });

    it('an unknown kind: the schema refuses it, and so does the service', async () => {
      const before = await auditCount(db.db);
      const viaApi = await gql(
        REGISTER,
        {
          i: {
            name: 'Unknown kind',
            dataUse: { permission: 'GRU' },
            collectionConsent: { kind: 'PRESUMED' },
          },
        },
        { token },
      );
      expect(viaApi.errors?.[0]?.message).toMatch(/CollectionConsentKind/);
      const steward = await makeUser(db.db, 'steward');
      await expect(
        db.db.transaction((tx) =>
          registerDataset(tx, actorOf(steward), {
            name: 'Unknown kind',
            dataUse: { permission: 'GRU' },
            collectionConsent: { kind: 'presumed' },
          }),
        ),
      ).rejects.toMatchObject({ code: 'VALIDATION' });
      const [some] = await db.db.select().from(datasets);
      await expect(
        db.db.transaction((tx) =>
          setCollectionConsent(tx, actorOf(steward), {
            datasetId: some!.id,
            collectionConsent: { kind: 'presumed' },
          }),
        ),
      ).rejects.toMatchObject({ code: 'VALIDATION' });
      expect(await auditCount(db.db)).toBe(before);
      const names = (await db.db.select().from(datasets)).map((d) => d.name);
      expect(names).not.toContain('Unknown kind');
    });
  });
});
