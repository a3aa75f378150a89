import type { Bundle } from '@medplum/fhirtypes';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { participantByEmail } from '../../test/participant-by-email.js';
import { openAccessFixture, signIn, type AccessFixture } from '../../test/access-fixture.js';
import { auditCount, lastAuditEventWith } from '../../test/audit-rows.js';
import { fhirSchemaErrors } from '../../test/fhir-schema-validator.js';
import { TEST_DRIVER } from '../../test/test-database.js';
import { fhirRoute } from '../fhir/fhir.route.js';
import { recordAppTokens } from './app-access.tables.js';

const AUTHORISE = `mutation($n: String!, $d: Int!) { authoriseApp(appName: $n, days: $d) { __typename
  ... on MutationAuthoriseAppSuccess { data { token app { id scope expiresAt } } }
  ... on Error { code message } ... on ValidationError { fieldErrors { field message } } } }`;
const REVOKE = `mutation($id: ID!) { revokeApp(appId: $id) { __typename
  ... on MutationRevokeAppSuccess { data { id revokedAt } } ... on Error { code } } }`;

interface Issued {
  __typename: string;
  data?: { token: string; app: { id: string; scope: string } };
  fieldErrors?: { field: string; message: string }[];
}

/**
 * Issue #18 item 4: an app the participant authorises reads their own record (scope
 * patient/*.read) and nothing else, until it expires or they revoke it.
 */
describe(`apps a participant authorises to read their record (${TEST_DRIVER})`, () => {
  let f: AccessFixture;
  let patient = '';
  let pseudonym = '';

  beforeAll(async () => {
    f = await openAccessFixture();
    patient = await signIn(f.gql, 'patient@demo.local');
    pseudonym = (await participantByEmail(f.db.db, 'patient@demo.local')).pseudonym;
  }, 120_000);
  afterAll(() => f?.dispose());

  const fhir = (path: string, token: string, init: RequestInit = {}) =>
    fhirRoute(f.db.db).handler(
      new Request(`http://test.local${path}`, {
        ...init,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/fhir+json' },
      }),
      {},
    );
  const authorise = async (appName: string, days: number) => {
    const res = await f.gql<{ authoriseApp: Issued }>(
      AUTHORISE,
      { n: appName, d: days },
      {
        token: patient,
      },
    );
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return res.data!.authoriseApp;
  };

  it('reads the participant’s own bundle with the app token, audited as the app’s read', async () => {
    const issued = await authorise('My health app', 30);
    expect(issued.data!.app.scope).toBe('patient/*.read');
    expect(issued.data!.token).toMatch(/^cat_/);
    // Only a digest is stored.
    const rows = await f.db.db.select().from(recordAppTokens);
    expect(JSON.stringify(rows)).not.toContain(issued.data!.token);
    const res = await fhir('/fhir/Patient/$everything', issued.data!.token);
    expect(res.status).toBe(200);
    const bundle = (await res.json()) as Bundle;
    expect(fhirSchemaErrors(bundle)).toEqual([]);
    expect(bundle.entry![0]!.resource).toMatchObject({ resourceType: 'Patient', id: pseudonym });
    const event = await lastAuditEventWith(f.db.db, 'record.download.app');
    expect(JSON.parse(String(event!.payload))).toMatchObject({ app: issued.data!.app.id });
    expect((await fhir(`/fhir/Patient/${pseudonym}/$everything`, issued.data!.token)).status).toBe(
      200,
    );
  });

  it('refuses anything else: other resources, writes, another patient, GraphQL', async () => {
    const { token } = (await authorise('Narrow app', 7)).data!;
    const before = await auditCount(f.db.db);
    for (const path of ['/fhir/Consent', `/fhir/Consent/${pseudonym}`, '/fhir/AuditEvent'])
      expect((await fhir(path, token)).status, path).toBe(403);
    const post = await fhir('/fhir/Condition', token, { method: 'POST', body: '{}' });
    expect(post.status).toBe(403);
    expect((await fhir('/fhir/Patient/P-SOMEONE-ELSE/$everything', token)).status).toBe(404);
    // Refusals read nothing, so nothing is audited.
    expect(await auditCount(f.db.db)).toBe(before);
    const gql = await f.gql(`{ myRecord { id } }`, {}, { token });
    expect(gql.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await fhir('/fhir/Patient/$everything', 'cat_not-a-real-token')).status).toBe(401);
  });

  it('stops working once revoked or expired', async () => {
    const issued = (await authorise('Short-lived app', 1)).data!;
    expect((await fhir('/fhir/Patient/$everything', issued.token)).status).toBe(200);
    const revoked = await f.gql<{ revokeApp: { __typename: string } }>(
      REVOKE,
      {
        id: issued.app.id,
      },
      { token: patient },
    );
    expect(revoked.data!.revokeApp.__typename).toBe('MutationRevokeAppSuccess');
    expect((await fhir('/fhir/Patient/$everything', issued.token)).status).toBe(401);

    const other = (await authorise('Expiring app', 1)).data!;
    await f.db.db
      .update(recordAppTokens)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(recordAppTokens.id, other.app.id));
    expect((await fhir('/fhir/Patient/$everything', other.token)).status).toBe(401);
  });

  it('refuses a bad period and a researcher, writing nothing', async () => {
    const tokens = async () => (await f.db.db.select().from(recordAppTokens)).length;
    const before = [await tokens(), await auditCount(f.db.db)];
    const tooLong = await authorise('Forever app', 366);
    expect(tooLong.__typename).toBe('ValidationError');
    expect(tooLong.fieldErrors).toContainEqual({
      field: 'days',
      message: 'must be at most 365 days',
    });
    expect([await tokens(), await auditCount(f.db.db)]).toEqual(before);
    // A researcher is refused by role (the refusal itself is audited, as every refusal is).
    const res = await f.gql<{ authoriseApp: Issued | null }>(
      AUTHORISE,
      { n: 'x', d: 5 },
      {
        token: f.tokens.researcher,
      },
    );
    expect(res.data?.authoriseApp?.data).toBeUndefined();
    expect(await tokens()).toBe(before[0]);
  });
});
