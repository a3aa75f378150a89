import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastAuditEvent } from '../../../test/audit-rows.js';
import { createTestApi, loginAs, makeUser } from '../../../test/test-api.js';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../../../test/test-database.js';
import type { UserRecord } from '../../accounts/accounts.service.js';
import { PASSPORT_PATH, passportBrokerRoute } from './passport-broker.route.js';
import { verifyPassport } from './verify-passport.js';

const ISSUER = 'http://consentome.test';

describe(`GA4GH Passport broker (${TEST_DRIVER})`, () => {
  let db: TestDatabase;
  let gql: ReturnType<typeof createTestApi>;
  let researcher: UserRecord;
  let token = '';
  const route = () => passportBrokerRoute(db.db, ISSUER);
  const get = (auth?: string) =>
    route().handler(
      new Request(`${ISSUER}${PASSPORT_PATH}`, {
        headers: auth ? { authorization: `Bearer ${auth}` } : {},
      }),
      {},
    );
  beforeAll(async () => {
    db = await createTestDatabase();
    gql = createTestApi(db.db);
    researcher = await makeUser(db.db, 'researcher', 'Test University');
    token = await loginAs(gql, researcher);
  });
  afterAll(() => db.dispose());

  it('issues a signed passport, verifiable with our keys, and audits it; a password account gets no affiliation visa', async () => {
    const res = await get(token);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { passport: string; expires_at: number };
    const verified = await verifyPassport(db.db, body.passport, { issuer: ISSUER });
    expect(verified.ok).toBe(true);
    if (!verified.ok) return;
    expect(verified.passport.subject).toBe(researcher.id);
    // No institution vouched for this account: its e-mail domain is not an affiliation.
    expect(verified.visas).toEqual([]);
    expect(await lastAuditEvent(db.db)).toMatchObject({
      action: 'passport.issue',
      actorId: researcher.id,
    });
  });

  it('adds a ResearcherStatus visa once an administrator has confirmed the researcher', async () => {
    const admin = await loginAs(gql, await makeUser(db.db, 'admin'));
    const confirmed = await gql<{ confirmResearcherStatus: { __typename: string } }>(
      `mutation($id: ID!) { confirmResearcherStatus(userId: $id) { __typename } }`,
      { id: researcher.id },
      { token: admin },
    );
    expect(confirmed.data?.confirmResearcherStatus.__typename).toBe(
      'MutationConfirmResearcherStatusSuccess',
    );
    const body = (await (await get(token)).json()) as { passport: string };
    const verified = await verifyPassport(db.db, body.passport, { issuer: ISSUER });
    expect(verified.ok && verified.visas.map((v) => v.visa.type).sort()).toEqual([
      'ResearcherStatus',
    ]);
  });

  it('adds an AffiliationAndRole visa (by: system, source: us) once an administrator asserts one', async () => {
    const admin = await loginAs(gql, await makeUser(db.db, 'admin'));
    const bad = await gql<{ assertAffiliation: { __typename: string } }>(
      `mutation($id: ID!) { assertAffiliation(userId: $id, value: "boss@test.local") { __typename } }`,
      { id: researcher.id },
      { token: admin },
    );
    expect(bad.data?.assertAffiliation.__typename).toBe('ValidationError');
    const asserted = await gql<{ assertAffiliation: { __typename: string } }>(
      `mutation($id: ID!) { assertAffiliation(userId: $id, value: "member@test.local") { __typename } }`,
      { id: researcher.id },
      { token: admin },
    );
    expect(asserted.data?.assertAffiliation.__typename).toBe('MutationAssertAffiliationSuccess');
    const refused = await gql<{ assertAffiliation: unknown }>(
      `mutation($id: ID!) { assertAffiliation(userId: $id, value: "member@test.local") { __typename } }`,
      { id: researcher.id },
      { token },
    );
    expect(refused.data?.assertAffiliation ?? null).toBeNull();
    const body = (await (await get(token)).json()) as { passport: string };
    const verified = await verifyPassport(db.db, body.passport, { issuer: ISSUER });
    if (!verified.ok) throw new Error('passport did not verify');
    const affiliation = verified.visas.find((v) => v.visa.type === 'AffiliationAndRole');
    expect(affiliation?.visa).toMatchObject({
      value: 'member@test.local',
      source: ISSUER,
      by: 'system',
    });
  });

  it('anonymous callers get 401, other roles 403', async () => {
    expect((await get()).status).toBe(401);
    const steward = await loginAs(gql, await makeUser(db.db, 'steward'));
    expect((await get(steward)).status).toBe(403);
  });
});
