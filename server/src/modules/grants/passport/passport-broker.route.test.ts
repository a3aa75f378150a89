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

  it('issues a signed passport with an AffiliationAndRole visa, verifiable with our keys, and audits it', async () => {
    const res = await get(token);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { passport: string; expires_at: number };
    const verified = await verifyPassport(db.db, body.passport, { issuer: ISSUER });
    expect(verified.ok).toBe(true);
    if (!verified.ok) return;
    expect(verified.passport.subject).toBe(researcher.id);
    expect(verified.visas.map((v) => [v.visa.type, v.visa.value])).toEqual([
      ['AffiliationAndRole', 'member@test.local'],
    ]);
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
      'AffiliationAndRole',
      'ResearcherStatus',
    ]);
  });

  it('anonymous callers get 401, other roles 403', async () => {
    expect((await get()).status).toBe(401);
    const steward = await loginAs(gql, await makeUser(db.db, 'steward'));
    expect((await get(steward)).status).toBe(403);
  });
});
