import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { eq } from 'drizzle-orm';
import type { EmbeddedLedger } from '@consentome/contracts-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { beaconMemberBudgets } from '../beacon/beacon.tables.js';
import { datasets } from '../datasets/datasets.tables.js';
import { networkAccessRequests } from './federation.tables.js';
import { boardSource, datasetVisaValue } from '../grants/grant-visas.js';
import { jwksUrl } from '../grants/passport/jwks-url.js';
import { signingKey } from '../grants/passport/signing-key.js';
import { signControlledAccessVisa, signResearcherStatusVisa } from '../grants/passport/visa.js';
import { auditCount, auditEventsWithAction, lastAuditEventWith } from '../../test/audit-rows.js';
import { loginAs, makeUser } from '../../test/in-process-api.js';
import { insertPeople, startNetworkSite, type NetworkSite } from '../../test/network-site.js';
import { openTestLedger } from '../../test/test-chain.js';

// Three institutions on one embedded chain. B holds a dataset; A's DAC grants one of A's
// researchers access to it with a ControlledAccessGrants visa. Whether B's Beacon honours that
// visa is B's per-dataset setting; the visa's keys are checked against the chain registry.

const SEIZURE = 'HP:0001250';
const MEMBER_BUDGET = 6;
const PURPOSE = { primary: 'HMB', commercial: false };
const DECIDE = `mutation($id: ID!, $ok: Boolean!) { decideNetworkAccessRequest(id: $id, approve: $ok) {
  __typename ... on MutationDecideNetworkAccessRequestSuccess { data { status decidedByLocalDac } }
  ... on Error { code message } } }`;

const SET = `mutation($d: ID!, $n: DatasetNetworkAccess!) { setDatasetNetworkAccess(datasetId: $d, networkAccess: $n) {
  __typename
  ... on MutationSetDatasetNetworkAccessSuccess { data { id networkAccess } }
  ... on Error { code message } } }`;

interface BeaconBody {
  responseSummary?: { exists: boolean; numTotalResults?: number };
  response?: { resultSets?: { id: string; resultsCount?: number; exists: boolean }[] };
  error?: { errorCode: number; errorMessage: string };
}

function payloadOf(row: { payload: unknown } | null): unknown {
  return typeof row?.payload === 'string' ? JSON.parse(row.payload) : row?.payload;
}

describe('controlled-access visas across sites', () => {
  let chain: EmbeddedLedger;
  let a: NetworkSite;
  let b: NetworkSite;
  let c: NetworkSite;
  let datasetId: string;
  let adminToken: string;
  let researcherAtB: string;

  async function setAccess(token: string, networkAccess: string) {
    return b.gql<{ setDatasetNetworkAccess: { __typename: string; code?: string } }>(
      SET,
      { d: datasetId, n: networkAccess },
      { token },
    );
  }

  async function ask(visa: string) {
    const res = await fetch(`${b.beaconUrl}/individuals`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${visa}` },
      body: JSON.stringify({
        meta: { apiVersion: 'v2.0' },
        query: {
          filters: [{ id: SEIZURE }],
          requestedGranularity: 'count',
          includeResultsetResponses: 'ALL',
        },
      }),
    });
    return { status: res.status, body: (await res.json()) as BeaconBody };
  }

  /**
   * A's DAC grants `subject` access to B's dataset: the visa A's server signs for one call to
   * B, addressed to B's Beacon and living five minutes (unless a test says otherwise).
   */
  async function grantVisa(
    site: NetworkSite,
    subject = randomUUID(),
    value?: string,
    { audience = b.beaconUrl, now = new Date(), lifetimeMs = 300_000 } = {},
  ) {
    return signControlledAccessVisa(site.db.db, {
      subject,
      issuer: site.origin,
      asserted: new Date(now.getTime() - 60_000),
      now,
      expiresAt: new Date(now.getTime() + lifetimeMs),
      value: value ?? datasetVisaValue(b.origin, datasetId),
      source: boardSource(site.origin),
      audience,
    });
  }

  /** A grant visa signed by a key the registry does not vouch for. */
  async function forgedVisa(jku: string, kid: string, issuer: string, key: CryptoKey) {
    return new SignJWT({
      ga4gh_visa_v1: {
        type: 'ControlledAccessGrants',
        asserted: Math.floor(Date.now() / 1000) - 60,
        value: datasetVisaValue(b.origin, datasetId),
        source: boardSource(issuer),
        by: 'dac',
      },
    })
      .setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid, jku })
      .setIssuer(issuer)
      .setAudience(b.beaconUrl)
      .setSubject('forged')
      .setIssuedAt()
      .setExpirationTime('5m')
      .setJti(randomUUID())
      .sign(key);
  }

  async function door(path: 'access-requests' | 'exports', visa: string, body: unknown = {}) {
    const res = await fetch(`${b.origin}/api/network/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${visa}` },
      body: JSON.stringify(body),
    });
    return {
      status: res.status,
      body: (await res.json()) as {
        error?: string;
        id?: string;
        status?: string;
        samples?: string[];
      },
    };
  }

  async function doorRefusals() {
    return (await auditEventsWithAction(b.db.db, 'network_access.refused')).length;
  }

  async function requestRows() {
    return (await b.db.db.select().from(networkAccessRequests)).length;
  }

  async function refusals() {
    return (await auditEventsWithAction(b.db.db, 'beacon.network_refused')).length;
  }

  beforeAll(async () => {
    chain = await openTestLedger();
    [a, b, c] = await Promise.all([
      startNetworkSite(chain, 'site-a'),
      startNetworkSite(chain, 'site-b', {
        federation: { timeoutMs: 1_500, memberBudgetPerDay: MEMBER_BUDGET },
      }),
      startNetworkSite(chain, 'site-c'),
    ]);
    await insertPeople(b.db.db, [{ count: 30, sex: 'female', phenotype: SEIZURE }]);
    [{ id: datasetId }] = (await b.db.db.select({ id: datasets.id }).from(datasets)) as [
      { id: string },
    ];
    // Collected under broad consent for any research: those who never stated choices permit it.
    await b.db.db.update(datasets).set({ collectionConsent: 'broad_gru' });
    for (const site of [a, b, c]) await chain.ledger.admitMember(await site.memberInput());
    await chain.ledger.closeBootstrap();
    adminToken = await loginAs(b.gql, await makeUser(b.db.db, 'admin'));
    researcherAtB = await loginAs(b.gql, await makeUser(b.db.db, 'researcher'));
  }, 120_000);

  afterAll(async () => {
    await Promise.all([a, b, c].filter(Boolean).map((s) => s.close()));
    await chain?.chain.close();
  });

  it('refuses a foreign grant visa while the dataset keeps the default (none), and audits it', async () => {
    const [row] = await b.db.db.select().from(datasets).where(eq(datasets.id, datasetId));
    expect(row!.networkAccess).toBe('none');
    const before = await refusals();
    const { status, body } = await ask(await grantVisa(a));
    expect(status).toBe(403);
    expect(body.error!.errorMessage).toMatch(/does not accept visas from other members/);
    expect(await refusals()).toBe(before + 1);
  });

  it('lets only a steward or an admin change the setting, and a refusal writes nothing', async () => {
    const changes = async () =>
      (await auditEventsWithAction(b.db.db, 'dataset.network_access.change')).length;
    const before = await changes();
    const denied = await setAccess(researcherAtB, 'visa');
    expect(
      denied.data?.setDatasetNetworkAccess.__typename ?? denied.errors?.[0]?.extensions?.code,
    ).toMatch(/Forbidden|FORBIDDEN/);
    const bad = await setAccess(adminToken, 'everyone');
    expect(bad.errors?.[0]?.message).toMatch(/everyone/);
    expect(await changes()).toBe(before);
    const [row] = await b.db.db.select().from(datasets).where(eq(datasets.id, datasetId));
    expect(row!.networkAccess).toBe('none');
  });

  it('with "visa", opens the dataset’s protected count to the holder of A’s DAC visa', async () => {
    const set = await setAccess(adminToken, 'visa');
    expect(set.data!.setDatasetNetworkAccess.__typename).toBe(
      'MutationSetDatasetNetworkAccessSuccess',
    );
    expect(payloadOf(await lastAuditEventWith(b.db.db, 'dataset.network_access.change'))).toEqual({
      before: 'none',
      after: 'visa',
    });
    const { status, body } = await ask(await grantVisa(a));
    expect(status).toBe(200);
    expect(body.response!.resultSets).toEqual([
      expect.objectContaining({ id: datasetId, exists: true, resultsCount: 30 }),
    ]);
    expect(payloadOf(await lastAuditEventWith(b.db.db, 'beacon.query'))).toMatchObject({
      network: { member: 'site-a' },
      resultSets: [{ dataset: datasetId, shown: '30' }],
    });
  });

  it('refuses a grant visa for something B does not hold', async () => {
    const { status, body } = await ask(
      await grantVisa(a, randomUUID(), `${b.origin}/studies/${randomUUID()}`),
    );
    expect(status).toBe(403);
    expect(body.error!.errorMessage).toMatch(/not a dataset held here/);
  });

  it('with "visa_and_local_dac", refuses until B’s own DAC approved', async () => {
    await setAccess(adminToken, 'visa_and_local_dac');
    const { status, body } = await ask(await grantVisa(a));
    expect(status).toBe(403);
    expect(body.error!.errorMessage).toMatch(/also needs this site's DAC to approve/);
    await setAccess(adminToken, 'visa');
  });

  it('exports under "visa" only after a purpose B’s terms permit is recorded at B', async () => {
    const subject = randomUUID();
    const visa = await grantVisa(a, subject);
    const before = await doorRefusals();
    const early = await door('exports', visa);
    expect(early.status).toBe(403);
    expect(early.body.error).toMatch(/no request for dataset .* is recorded here for site-a/);
    expect(await doorRefusals()).toBe(before + 1);

    // A bad purpose is refused and writes nothing.
    const rows = await requestRows();
    const bad = await door('access-requests', visa, { purpose: { primary: 'HMB' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/commercial is required/);
    expect(await requestRows()).toBe(rows);

    const asked = await door('access-requests', visa, { purpose: PURPOSE });
    expect(asked).toMatchObject({ status: 201, body: { status: 'approved' } });
    const exported = await door('exports', visa);
    expect(exported.status).toBe(200);
    expect(exported.body.samples).toHaveLength(30);
    expect(payloadOf(await lastAuditEventWith(b.db.db, 'network_export.create'))).toMatchObject({
      member: 'site-a',
      request: asked.body.id,
      participants: 30,
    });
  });

  it('under "visa_and_local_dac", opens counts and exports once B’s DAC approved', async () => {
    await setAccess(adminToken, 'visa_and_local_dac');
    try {
      const visa = await grantVisa(a);
      const asked = await door('access-requests', visa, { purpose: PURPOSE });
      expect(asked).toMatchObject({ status: 201, body: { status: 'pending' } });
      const waiting = await door('exports', visa);
      expect(waiting.status).toBe(403);
      expect(waiting.body.error).toMatch(/awaits this site's DAC/);
      expect((await ask(visa)).status).toBe(403);

      // A researcher at B cannot decide, nor an admin alone, nor a board member of no
      // committee governing the dataset, nor anyone while no committee governs it.
      const refusal = async (token: string) => {
        const res = await b.gql<{ decideNetworkAccessRequest: { __typename: string } }>(
          DECIDE,
          { id: asked.body.id, ok: true },
          { token },
        );
        return res.data?.decideNetworkAccessRequest.__typename ?? res.errors?.[0]?.extensions?.code;
      };
      const member = await makeUser(b.db.db, 'ethics_board');
      const board = await loginAs(b.gql, member);
      const outsider = await loginAs(b.gql, await makeUser(b.db.db, 'ethics_board'));
      expect(await refusal(researcherAtB)).toMatch(/Forbidden|FORBIDDEN/);
      expect(await refusal(board)).toBe('ConflictError'); // no committee governs it yet
      const created = await b.gql<{ createDac: { __typename: string } }>(
        `mutation($i: CreateDacInput!) { createDac(input: $i) { __typename } }`,
        { i: { name: 'Site B DAC', memberIds: [member.id], datasetIds: [datasetId], quorum: 1 } },
        { token: adminToken },
      );
      expect(created.data?.createDac.__typename).toBe('MutationCreateDacSuccess');
      expect(await refusal(adminToken)).toBe('ForbiddenError');
      expect(await refusal(outsider)).toBe('ForbiddenError');
      const listed = (token: string) =>
        b.gql<{ networkAccessRequests: { id: string }[] }>(
          `{ networkAccessRequests { id } }`,
          {},
          { token },
        );
      expect((await listed(outsider)).data?.networkAccessRequests).toEqual([]);
      expect((await listed(board)).data?.networkAccessRequests.map((r) => r.id)).toContain(
        asked.body.id,
      );
      const decided = await b.gql<{
        decideNetworkAccessRequest: { data: { status: string; decidedByLocalDac: boolean } };
      }>(DECIDE, { id: asked.body.id, ok: true }, { token: board });
      expect(decided.data!.decideNetworkAccessRequest.data).toEqual({
        status: 'approved',
        decidedByLocalDac: true,
      });
      const counted = await ask(visa);
      expect(counted.status).toBe(200);
      expect(counted.body.response!.resultSets).toEqual([
        expect.objectContaining({ id: datasetId, resultsCount: 30 }),
      ]);
      const exported = await door('exports', visa);
      expect(exported.status).toBe(200);
      expect(exported.body.samples).toHaveLength(30);
    } finally {
      await setAccess(adminToken, 'visa');
    }
  });

  it('refuses a grant visa that expired, names another member, names no one or lives long', async () => {
    const subject = randomUUID();
    const fresh = await grantVisa(a, subject);
    expect(await door('access-requests', fresh, { purpose: PURPOSE })).toMatchObject({
      status: 201,
    });
    const rows = await requestRows();
    const before = await doorRefusals();
    const past = new Date(Date.now() - 20 * 60_000);
    const cases: [string, Promise<string>, RegExp][] = [
      ['expired', grantVisa(a, subject, undefined, { now: past }), /site-a: visa rejected: .*exp/],
      ['for C', grantVisa(a, subject, undefined, { audience: c.beaconUrl }), /site-a: .*aud/],
      ['for no one', grantVisa(a, subject, undefined, { audience: '' }), /site-a: .*no aud/],
      [
        'a day long',
        grantVisa(a, subject, undefined, { lifetimeMs: 86_400_000 }),
        /site-a: a visa from another member may live at most 600 s/,
      ],
    ];
    for (const [, visa, reason] of cases) {
      for (const path of ['access-requests', 'exports'] as const) {
        const res = await door(path, await visa, { purpose: PURPOSE });
        expect(res.status).toBe(403);
        expect(res.body.error).toMatch(reason);
      }
      const beacon = await ask(await visa);
      expect(beacon.status).toBe(403);
      expect(beacon.body.error!.errorMessage).toMatch(reason);
    }
    expect(await doorRefusals()).toBe(before + 2 * cases.length);
    expect(await requestRows()).toBe(rows);
  });

  it('refuses a key id the registry does not list for the member, and audits it', async () => {
    const forger = await generateKeyPair('ES256');
    const before = await refusals();
    const { status, body } = await ask(
      await forgedVisa(jwksUrl(a.origin), 'not-registered', a.origin, forger.privateKey),
    );
    expect(status).toBe(403);
    expect(body.error!.errorMessage).toMatch(
      /key not-registered is not registered on chain for site-a/,
    );
    // The registered kid with another key: the signature does not verify against A's JWKS.
    const stolenKid = await ask(
      await forgedVisa(
        jwksUrl(a.origin),
        (await signingKey(a.db.db)).kid,
        a.origin,
        forger.privateKey,
      ),
    );
    expect(stolenKid.status).toBe(403);
    expect(stolenKid.body.error!.errorMessage).toMatch(/site-a: .*signature/);
    expect(await refusals()).toBe(before + 2);
    expect(payloadOf(await lastAuditEventWith(b.db.db, 'beacon.network_refused'))).toMatchObject({
      reason: expect.stringMatching(/site-a/),
    });
    const atExport = await door(
      'exports',
      await forgedVisa(jwksUrl(a.origin), 'not-registered', a.origin, forger.privateKey),
    );
    expect(atExport.status).toBe(403);
    expect(atExport.body.error).toMatch(/key not-registered is not registered on chain for site-a/);
    expect(payloadOf(await lastAuditEventWith(b.db.db, 'network_access.refused'))).toEqual({
      door: 'export',
      reason: 'key not-registered is not registered on chain for site-a',
    });
  });

  it('refuses an issuer the registry does not know, even one that publishes a valid JWKS', async () => {
    const outsider = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(outsider.publicKey)), kid: 'outsider-1', alg: 'ES256' };
    const server = http.createServer((_req, res) =>
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ keys: [jwk] })),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const before = await refusals();
      const { status, body } = await ask(
        await forgedVisa(jwksUrl(origin), 'outsider-1', origin, outsider.privateKey),
      );
      expect(status).toBe(403);
      expect(body.error!.errorMessage).toMatch(/is not the Passport key set of any network member/);
      expect(await refusals()).toBe(before + 1);
      const doorsBefore = await doorRefusals();
      const visa = await forgedVisa(jwksUrl(origin), 'outsider-1', origin, outsider.privateKey);
      for (const path of ['access-requests', 'exports'] as const) {
        const res = await door(path, visa, { purpose: PURPOSE });
        expect(res.status).toBe(403);
        expect(res.body.error).toMatch(/is not the Passport key set of any network member/);
      }
      expect(await doorRefusals()).toBe(doorsBefore + 2);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('gives each calling member its own daily budget at B, refusing and auditing when spent', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const spentBy = async (member: string) =>
      (
        await b.db.db
          .select()
          .from(beaconMemberBudgets)
          .where(eq(beaconMemberBudgets.member, member))
      ).find((r) => r.day === today)?.spent ?? 0;
    const left = MEMBER_BUDGET - (await spentBy('site-a'));
    expect(left).toBeGreaterThan(0);
    for (let i = 0; i < left; i++) expect((await ask(await grantVisa(a))).status).toBe(200);
    const before = await auditCount(b.db.db);
    const over = await ask(await grantVisa(a));
    expect(over.status).toBe(429);
    expect(over.body.error!.errorMessage).toMatch(
      new RegExp(`site-a has used its ${MEMBER_BUDGET} queries for today`),
    );
    // Audited once (the refusal), and no answer was audited.
    expect(await auditCount(b.db.db)).toBe(before + 1);
    expect(payloadOf(await lastAuditEventWith(b.db.db, 'beacon.member_budget.refused'))).toEqual({
      member: 'site-a',
      day: today,
      perDay: MEMBER_BUDGET,
    });
    expect(await spentBy('site-a')).toBe(MEMBER_BUDGET);
    // C's researchers have their own budget at B.
    const now = new Date();
    const fromC = await ask(
      await signResearcherStatusVisa(c.db.db, {
        subject: randomUUID(),
        issuer: c.origin,
        source: c.origin,
        asserted: now,
        now,
        expiresAt: new Date(now.getTime() + 60_000),
        audience: b.beaconUrl,
      }),
    );
    expect(fromC.status).toBe(200);
    expect(fromC.body.responseSummary).toMatchObject({ numTotalResults: 30 });
  });

  it('refuses grant visas of a member the network removed, and audits it', async () => {
    const visa = await grantVisa(c);
    await a.ledger.proposeMembership({ remove: { id: 'site-c' } });
    const id = (await a.ledger.network()).proposals;
    await b.ledger.voteMembership(id, true);
    for (const site of [a, b, c]) site.services.registry!.refresh();
    const before = await refusals();
    const { status, body } = await ask(visa);
    expect(status).toBe(403);
    expect(body.error!.errorMessage).toMatch(/site-c is no longer a member of the network/);
    expect(await refusals()).toBe(before + 1);
    const exported = await door('exports', visa);
    expect(exported.status).toBe(403);
    expect(exported.body.error).toMatch(/site-c is no longer a member of the network/);
    expect(payloadOf(await lastAuditEventWith(b.db.db, 'network_access.refused'))).toEqual({
      door: 'export',
      reason: 'site-c is no longer a member of the network',
    });
  });
});
