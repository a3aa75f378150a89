import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { EmbeddedLedger } from '@consentome/contracts-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasets } from '../datasets/datasets.tables.js';
import { auditEventsWithAction, lastAuditEventWith } from '../../test/audit-rows.js';
import { loginAs, makeUser } from '../../test/in-process-api.js';
import { insertPeople, startNetworkSite, type NetworkSite } from '../../test/network-site.js';
import { openTestLedger } from '../../test/test-chain.js';
import { networkAccessRequests } from './federation.tables.js';
import { systemActor } from '../actors/actor.js';
import { MemberRegistry } from './member-registry.js';
import { carryToHolder, holderVisa, REMOTE_VISA_SECONDS } from './remote-access-carrier.js';
import { remoteAccessRequests, remoteExports } from './remote-access.tables.js';

// Two institutions on one embedded chain. B holds a dataset; a researcher at A asks A's DAC
// for it, A's server carries the approved request to B with visas it signs per call, and the
// export B makes arrives at A.

const SEIZURE = 'HP:0001250';
const PURPOSE = { primary: 'HMB', commercial: false };

const FIELDS = `id status decisionNote expiresAt remoteStatus remoteReasons remoteError
  export { samples sha256 }`;
const REQUEST = `mutation($u: String!, $p: ResearchPurposeInput!) { requestRemoteAccess(datasetUrl: $u, purpose: $p) {
  __typename ... on MutationRequestRemoteAccessSuccess { data { ${FIELDS} } }
  ... on Error { code message } } }`;
const DECIDE = `mutation($id: ID!, $ok: Boolean!, $note: String) { decideRemoteAccess(id: $id, approve: $ok, note: $note) {
  __typename ... on MutationDecideRemoteAccessSuccess { data { ${FIELDS} } }
  ... on Error { code message } } }`;
const REFRESH = `mutation($id: ID!) { refreshRemoteAccess(id: $id) {
  __typename ... on MutationRefreshRemoteAccessSuccess { data { ${FIELDS} } }
  ... on Error { code message } } }`;

/** What the portal shows of a request. */
interface RequestView {
  id: string;
  status: string;
  decisionNote: string | null;
  expiresAt: string | null;
  remoteStatus: string;
  remoteReasons: string[];
  remoteError: string | null;
  export: { samples: number; sha256: string } | null;
}

type Answer = { __typename: string; code?: string; message?: string; data?: RequestView };

function payloadOf(row: { payload: unknown } | null): unknown {
  return typeof row?.payload === 'string' ? JSON.parse(row.payload) : row?.payload;
}

describe('a researcher at A uses a dataset held at B', () => {
  let chain: EmbeddedLedger;
  let a: NetworkSite;
  let b: NetworkSite;
  let datasetId: string;
  let datasetUrl: string;
  let dacId: string;
  const tokens = {} as Record<
    'researcher' | 'other' | 'board' | 'outsider' | 'admin' | 'adminB' | 'boardB',
    string
  >;

  async function request(purpose: unknown = PURPOSE, url = datasetUrl, token = tokens.researcher) {
    const res = await a.gql<{ requestRemoteAccess: Answer }>(
      REQUEST,
      { u: url, p: purpose },
      { token },
    );
    return res.data?.requestRemoteAccess ?? { __typename: res.errors![0]!.message };
  }

  async function decide(id: string, ok: boolean, token = tokens.board, note?: string) {
    const res = await a.gql<{ decideRemoteAccess: Answer }>(
      DECIDE,
      { id, ok, note: note ?? null },
      { token },
    );
    return res.data?.decideRemoteAccess ?? { __typename: res.errors![0]!.message };
  }

  async function refresh(id: string, token = tokens.researcher) {
    const res = await a.gql<{ refreshRemoteAccess: Answer }>(REFRESH, { id }, { token });
    return res.data?.refreshRemoteAccess ?? { __typename: res.errors![0]!.message };
  }

  async function setAccess(networkAccess: string) {
    const res = await b.gql<{ setDatasetNetworkAccess: { __typename: string } }>(
      `mutation($d: ID!, $n: DatasetNetworkAccess!) { setDatasetNetworkAccess(datasetId: $d, networkAccess: $n) { __typename } }`,
      { d: datasetId, n: networkAccess },
      { token: tokens.adminB },
    );
    expect(res.data?.setDatasetNetworkAccess.__typename).toBe(
      'MutationSetDatasetNetworkAccessSuccess',
    );
  }

  const requestsAtB = async () => b.db.db.select().from(networkAccessRequests);
  const requestsAtA = async () => (await a.db.db.select().from(remoteAccessRequests)).length;

  /** A pending request at A, approved by A's DAC (which carries it to B at once). */
  async function approvedAtA(purpose: unknown = PURPOSE) {
    const asked = await request(purpose);
    expect(asked.__typename).toBe('MutationRequestRemoteAccessSuccess');
    const decided = await decide(asked.data!.id, true);
    expect(decided.__typename).toBe('MutationDecideRemoteAccessSuccess');
    return decided.data!;
  }

  beforeAll(async () => {
    chain = await openTestLedger();
    // A generous timeout for A's calls to B: a slow CI machine must not turn an export into
    // "no answer" (no test here is about a site that does not answer).
    const federation = { timeoutMs: 30_000, memberBudgetPerDay: 1_000 };
    [a, b] = await Promise.all([
      startNetworkSite(chain, 'site-a', { federation }),
      startNetworkSite(chain, 'site-b', { federation }),
    ]);
    await insertPeople(b.db.db, [{ count: 30, sex: 'female', phenotype: SEIZURE }]);
    [{ id: datasetId }] = (await b.db.db.select({ id: datasets.id }).from(datasets)) as [
      { id: string },
    ];
    // Broad consent for research; the terms exclude commercial use (NCU).
    await b.db.db.update(datasets).set({ collectionConsent: 'broad_gru', duoModifiers: ['NCU'] });
    datasetUrl = `${b.origin}/datasets/${datasetId}`;
    for (const site of [a, b]) await chain.ledger.admitMember(await site.memberInput());
    await chain.ledger.closeBootstrap();

    const board = await makeUser(a.db.db, 'ethics_board');
    tokens.board = await loginAs(a.gql, board);
    tokens.outsider = await loginAs(a.gql, await makeUser(a.db.db, 'ethics_board'));
    tokens.researcher = await loginAs(a.gql, await makeUser(a.db.db, 'researcher'));
    tokens.other = await loginAs(a.gql, await makeUser(a.db.db, 'researcher'));
    tokens.admin = await loginAs(a.gql, await makeUser(a.db.db, 'admin'));
    tokens.adminB = await loginAs(b.gql, await makeUser(b.db.db, 'admin'));
    const boardB = await makeUser(b.db.db, 'ethics_board');
    tokens.boardB = await loginAs(b.gql, boardB);
    const created = await a.gql<{ createDac: { data: { id: string } } }>(
      `mutation($i: CreateDacInput!) { createDac(input: $i) { ... on MutationCreateDacSuccess { data { id } } } }`,
      { i: { name: 'Site A network committee', memberIds: [board.id], quorum: 1 } },
      { token: tokens.admin },
    );
    dacId = created.data!.createDac.data.id;
    const createdB = await b.gql<{ createDac: { __typename: string } }>(
      `mutation($i: CreateDacInput!) { createDac(input: $i) { __typename } }`,
      { i: { name: 'Site B DAC', memberIds: [boardB.id], datasetIds: [datasetId], quorum: 1 } },
      { token: tokens.adminB },
    );
    expect(createdB.data?.createDac.__typename).toBe('MutationCreateDacSuccess');
    await setAccess('visa');
  }, 120_000);

  afterAll(async () => {
    await Promise.all([a, b].filter(Boolean).map((s) => s.close()));
    await chain?.chain.close();
  });

  it('refuses a request while no committee is designated, and bad input, writing nothing', async () => {
    expect(await request()).toMatchObject({ code: 'CONFLICT', message: /ask an admin/ });
    const designate = (token: string) =>
      a.gql<{ setNetworkRequestCommittee: { __typename: string } }>(
        `mutation($d: ID!) { setNetworkRequestCommittee(dacId: $d) { __typename } }`,
        { d: dacId },
        { token },
      );
    const denied = await designate(tokens.board);
    expect(
      denied.errors?.[0]?.extensions?.code ?? denied.data?.setNetworkRequestCommittee.__typename,
    ).toMatch(/FORBIDDEN|Forbidden/);
    expect((await designate(tokens.admin)).data?.setNetworkRequestCommittee.__typename).toBe(
      'MutationSetNetworkRequestCommitteeSuccess',
    );
    expect(payloadOf(await lastAuditEventWith(a.db.db, 'network_remote.committee.set'))).toEqual({
      before: null,
      after: dacId,
    });

    expect(await request(PURPOSE, `http://127.0.0.1:1/datasets/${datasetId}`)).toMatchObject({
      code: 'CONFLICT',
      message: /not a dataset of any member/,
    });
    expect(await request(PURPOSE, `${a.origin}/datasets/${datasetId}`)).toMatchObject({
      message: /held here/,
    });
    expect(await request(PURPOSE, `${b.origin}/datasets/not-an-id`)).toMatchObject({
      message: /not a dataset URL/,
    });
    expect(await request({ primary: 'HMB', diseases: ['not a CURIE'] })).toMatchObject({
      code: 'VALIDATION',
    });
    expect(await request(PURPOSE, datasetUrl, tokens.board)).toMatchObject({
      __typename: 'You are not allowed to do this',
    });
    expect(await requestsAtA()).toBe(0);
    expect(await auditEventsWithAction(a.db.db, 'network_remote.request')).toHaveLength(0);
  });

  it('"visa": A’s DAC approves, A sends, B approves at once, and the export arrives at A', async () => {
    const asked = await request();
    expect(asked.data).toMatchObject({ status: 'pending', remoteStatus: 'not_sent' });
    const atB = (await requestsAtB()).length;
    // Nothing goes to B while A's DAC has not decided; only its committee's members decide.
    expect(await refresh(asked.data!.id)).toMatchObject({ code: 'CONFLICT' });
    expect(await decide(asked.data!.id, true, tokens.outsider)).toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(await decide(asked.data!.id, true, tokens.admin)).toMatchObject({ code: 'FORBIDDEN' });
    expect((await requestsAtB()).length).toBe(atB);

    const decided = await decide(asked.data!.id, true);
    expect(decided.data).toMatchObject({
      status: 'approved',
      remoteStatus: 'approved',
      remoteError: null,
      export: { samples: 30 },
    });
    expect(new Date(decided.data!.expiresAt!).getTime()).toBeGreaterThan(
      Date.now() + 300 * 86_400_000,
    );
    // B recorded the purpose for A's researcher under a visa that lived five minutes.
    const [recorded] = (await requestsAtB()).slice(-1);
    expect(recorded).toMatchObject({ member: 'site-a', status: 'approved', purpose: PURPOSE });
    expect(recorded!.visaExpiresAt.getTime() - recorded!.createdAt.getTime()).toBeLessThanOrEqual(
      (REMOTE_VISA_SECONDS + 5) * 1000,
    );
    for (const action of ['network_remote.decide', 'network_remote.send', 'network_remote.export'])
      expect(await auditEventsWithAction(a.db.db, action)).toHaveLength(1);
    expect(payloadOf(await lastAuditEventWith(b.db.db, 'network_export.create'))).toMatchObject({
      member: 'site-a',
      participants: 30,
    });

    // Downloaded at A by the researcher only, audited; the digest is the holder's.
    const vcf = await a.gql<{ remoteExportVcf: string }>(
      `query($id: ID!) { remoteExportVcf(requestId: $id) }`,
      { id: asked.data!.id },
      { token: tokens.researcher },
    );
    expect(vcf.data!.remoteExportVcf).toMatch(/^##fileformat=VCF/);
    expect(createHash('sha256').update(vcf.data!.remoteExportVcf, 'utf8').digest('hex')).toBe(
      decided.data!.export!.sha256,
    );
    expect(payloadOf(await lastAuditEventWith(a.db.db, 'network_remote.download'))).toMatchObject({
      member: 'site-b',
      samples: 30,
    });
    const stranger = await a.gql(
      `query($id: ID!) { remoteExportVcf(requestId: $id) }`,
      { id: asked.data!.id },
      { token: tokens.other },
    );
    expect(stranger.errors?.[0]?.message).toMatch(/not found/i);
    // A second refresh fetches no second export.
    expect((await refresh(asked.data!.id)).data).toMatchObject({ remoteStatus: 'approved' });
    expect(await a.db.db.select().from(remoteExports)).toHaveLength(1);
  });

  it('"visa_and_local_dac": pending at B until B’s DAC approves, then the export arrives', async () => {
    await setAccess('visa_and_local_dac');
    try {
      const approved = await approvedAtA();
      expect(approved).toMatchObject({ remoteStatus: 'pending', export: null });
      expect((await refresh(approved.id)).data).toMatchObject({ remoteStatus: 'pending' });
      const [atB] = (await requestsAtB()).slice(-1);
      const decided = await b.gql<{ decideNetworkAccessRequest: { __typename: string } }>(
        `mutation($id: ID!) { decideNetworkAccessRequest(id: $id, approve: true) { __typename } }`,
        { id: atB!.id },
        { token: tokens.boardB },
      );
      expect(decided.data?.decideNetworkAccessRequest.__typename).toBe(
        'MutationDecideNetworkAccessRequestSuccess',
      );
      const refreshed = await refresh(approved.id);
      expect(refreshed.data).toMatchObject({ remoteStatus: 'approved', export: { samples: 30 } });
      expect(payloadOf(await lastAuditEventWith(a.db.db, 'network_remote.status'))).toMatchObject({
        member: 'site-b',
        status: 'approved',
      });
    } finally {
      await setAccess('visa');
    }
  });

  it('sends nothing when A’s DAC refuses (a note is needed)', async () => {
    const asked = await request();
    const atB = (await requestsAtB()).length;
    expect(await decide(asked.data!.id, false)).toMatchObject({ message: /note/ });
    const refused = await decide(asked.data!.id, false, tokens.board, 'Out of scope');
    expect(refused.data).toMatchObject({
      status: 'refused',
      decisionNote: 'Out of scope',
      remoteStatus: 'not_sent',
      expiresAt: null,
    });
    expect(await refresh(asked.data!.id)).toMatchObject({ code: 'CONFLICT' });
    expect(await decide(asked.data!.id, true)).toMatchObject({ message: /already refused/ });
    expect((await requestsAtB()).length).toBe(atB);
  });

  it('shows at A that B’s terms refused the purpose, and no export is made', async () => {
    const exports = (await auditEventsWithAction(b.db.db, 'network_export.create')).length;
    const approved = await approvedAtA({ primary: 'HMB', commercial: true });
    expect(approved).toMatchObject({ status: 'approved', remoteStatus: 'refused', export: null });
    expect(approved.remoteReasons.join(' ')).toMatch(/denied/);
    expect((await refresh(approved.id)).data).toMatchObject({ remoteStatus: 'refused' });
    expect((await auditEventsWithAction(b.db.db, 'network_export.create')).length).toBe(exports);
  });

  it('B refuses A’s visa replayed after it expired, or addressed to another member', async () => {
    const approved = await approvedAtA();
    const [row] = await a.db.db
      .select()
      .from(remoteAccessRequests)
      .where(eq(remoteAccessRequests.id, approved.id));
    // As if the decision were older, so a visa signed 20 minutes ago is a valid replay.
    const decidedAt = new Date(Date.now() - 3_600_000);
    const old = { ...row!, decidedAt };
    const replayed = await holderVisa(
      { db: a.db.db, issuer: a.origin },
      old,
      { beacon_url: b.beaconUrl },
      new Date(Date.now() - 20 * 60_000),
    );
    const elsewhere = await holderVisa(
      { db: a.db.db, issuer: a.origin },
      old,
      { beacon_url: a.beaconUrl },
      new Date(),
    );
    const refusals = (await auditEventsWithAction(b.db.db, 'network_access.refused')).length;
    const rows = (await requestsAtB()).length;
    for (const [visa, reason] of [
      [replayed, /expired/],
      [elsewhere, /aud/],
    ] as const) {
      for (const path of ['access-requests', 'exports']) {
        const res = await fetch(`${b.origin}/api/network/${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${visa}` },
          body: JSON.stringify({ purpose: PURPOSE }),
        });
        expect(res.status).toBe(403);
        expect(((await res.json()) as { error: string }).error).toMatch(reason);
      }
    }
    expect((await auditEventsWithAction(b.db.db, 'network_access.refused')).length).toBe(
      refusals + 4,
    );
    expect((await requestsAtB()).length).toBe(rows);
  });

  it('records at A why B refused, when B’s dataset stops accepting visas', async () => {
    const asked = await request();
    await setAccess('none');
    try {
      const approved = await decide(asked.data!.id, true);
      expect(approved.data).toMatchObject({ status: 'approved', remoteStatus: 'not_sent' });
      expect(approved.data!.remoteError).toMatch(/HTTP 403: .*does not accept visas/);
    } finally {
      await setAccess('visa');
    }
    expect((await refresh(asked.data!.id)).data).toMatchObject({
      remoteStatus: 'approved',
      remoteError: null,
      export: { samples: 30 },
    });
  });

  it('records why nothing was sent when the chain’s member list cannot be read, without failing', async () => {
    const approved = await approvedAtA();
    const [row] = await a.db.db
      .select()
      .from(remoteAccessRequests)
      .where(eq(remoteAccessRequests.id, approved.id));
    // A registry over a chain that has gone away: reading the members fails.
    const gone = await openTestLedger();
    await gone.chain.close();
    const registry = new MemberRegistry(gone.ledger);
    await expect(registry.allMembers()).rejects.toThrow();
    const carried = await carryToHolder(
      { db: a.db.db, registry, issuer: a.origin, timeoutMs: 1_000 },
      systemActor('test'),
      row!,
    );
    expect(carried.status).toBe('approved');
    expect(carried.remoteError).toMatch(/member list could not be read/);
  });

  it('lists requests to their researcher and to the committee they went to', async () => {
    const mine = await a.gql<{ myRemoteAccessRequests: { id: string }[] }>(
      `{ myRemoteAccessRequests { id } }`,
      {},
      { token: tokens.researcher },
    );
    const total = await requestsAtA();
    expect(mine.data!.myRemoteAccessRequests).toHaveLength(total);
    const theirs = await a.gql<{ myRemoteAccessRequests: { id: string }[] }>(
      `{ myRemoteAccessRequests { id } }`,
      {},
      { token: tokens.other },
    );
    expect(theirs.data!.myRemoteAccessRequests).toEqual([]);
    const review = async (token: string) =>
      (
        await a.gql<{ remoteAccessRequestsToReview: { id: string }[] }>(
          `{ remoteAccessRequestsToReview { id } }`,
          {},
          { token },
        )
      ).data!.remoteAccessRequestsToReview.length;
    expect(await review(tokens.board)).toBe(total);
    expect(await review(tokens.admin)).toBe(total);
    expect(await review(tokens.outsider)).toBe(0);
  });
});
