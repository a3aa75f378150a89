import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { SignJWT, generateKeyPair } from 'jose';
import type { EmbeddedLedger, MemberInput } from '@consentome/contracts-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signResearcherStatusVisa } from '../grants/passport/visa.js';
import { jwksUrl } from '../grants/passport/jwks-url.js';
import { signingKey } from '../grants/passport/signing-key.js';
import { auditCount, lastAuditEventWith } from '../../test/audit-rows.js';
import { insertPeople, startNetworkSite, type NetworkSite } from '../../test/network-site.js';
import { loginAs, makeUser } from '../../test/test-api.js';
import { openTestLedger } from '../../test/test-chain.js';

// Three institutions on one embedded chain, each with its own database and API on a loopback
// port: the federated count goes over real HTTP to the real Beacons, signed visas are checked
// against the keys the chain registry lists. Counts are exact here (no noise) so that figures
// can be stated; the threshold is 20.

const SEIZURE = 'HP:0001250';
const HEART = 'HP:0001627';

interface SiteRow {
  memberId: string;
  home: boolean;
  status: string;
  count: number | null;
  display: string | null;
  detail: string | null;
  elapsedMs: number;
}
interface NetworkCountData {
  networkCohortCount: {
    sites: SiteRow[];
    total: { count: number; atLeast: number; display: string; complete: boolean };
  };
}

const COUNT = `query($c: CohortCriteriaInput!) {
  networkCohortCount(criteria: $c) {
    sites { memberId home status count display detail elapsedMs }
    total { count atLeast display complete }
  }
}`;

/** An HTTP server standing in for a member's Beacon, answering whatever `answer` says. */
async function fakeBeacon(
  answer: (res: http.ServerResponse) => void,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((_req, res) => answer(res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** An audit row's payload as an object (stored as JSON text). */
function payloadOf(row: { payload: unknown } | null): unknown {
  return typeof row?.payload === 'string' ? JSON.parse(row.payload) : row?.payload;
}

function fakeMember(id: string, url: string, writer: string): MemberInput {
  return {
    id,
    name: `Fake ${id}`,
    writer,
    passport_jwks_url: jwksUrl(url),
    passport_key_ids: [`${id}-key`],
    beacon_url: `${url}/api/beacon`,
  };
}

describe('federated counts across three institutions on one chain', () => {
  let chain: EmbeddedLedger;
  let a: NetworkSite;
  let b: NetworkSite;
  let c: NetworkSite;
  let tokenA: string;
  let tokenC: string;
  const fakes: { close(): Promise<void> }[] = [];

  /** A proposes, B votes yes: a majority of the three founding members. */
  async function governed(change: Parameters<NetworkSite['ledger']['proposeMembership']>[0]) {
    await a.ledger.proposeMembership(change);
    const id = (await a.ledger.network()).proposals;
    // The founding members vote yes until the proposal passes (a strict majority of the
    // members when it was made, so a larger network needs C's vote too).
    for (const voter of [b, c]) {
      const [proposal] = await a.ledger.membershipProposals({ startAfter: id - 1, limit: 1 });
      if (proposal?.status !== 'open') break;
      await voter.ledger.voteMembership(id, true);
    }
    const [decided] = await a.ledger.membershipProposals({ startAfter: id - 1, limit: 1 });
    expect(decided?.status).toBe('passed');
    for (const site of [a, b, c]) site.services.registry!.refresh();
  }

  async function count(token: string, criteria: Record<string, unknown>) {
    return a.gql<NetworkCountData>(COUNT, { c: criteria }, { token });
  }

  beforeAll(async () => {
    chain = await openTestLedger();
    [a, b, c] = await Promise.all([
      startNetworkSite(chain, 'site-a'),
      startNetworkSite(chain, 'site-b'),
      startNetworkSite(chain, 'site-c'),
    ]);
    await insertPeople(a.db.db, [
      { count: 30, sex: 'female', phenotype: SEIZURE },
      { count: 25, sex: 'male', phenotype: HEART },
    ]);
    // At B, 30 people have seizures and exactly one of them is male: the target of the
    // differencing attack below ("seizures" minus "seizures, female").
    await insertPeople(b.db.db, [
      { count: 29, sex: 'female', phenotype: SEIZURE },
      { count: 1, sex: 'male', phenotype: SEIZURE },
    ]);
    await insertPeople(c.db.db, [{ count: 5, sex: 'female', phenotype: SEIZURE }]);
    for (const site of [a, b, c]) await chain.ledger.admitMember(await site.memberInput());
    await chain.ledger.closeBootstrap();
    tokenA = await loginAs(a.gql, await makeUser(a.db.db, 'researcher'));
    tokenC = await loginAs(c.gql, await makeUser(c.db.db, 'researcher'));
  }, 120_000);

  afterAll(async () => {
    await Promise.all(fakes.map((f) => f.close()));
    await Promise.all([a, b, c].filter(Boolean).map((s) => s.close()));
    await chain?.chain.close();
  });

  it('counts here and at every member, each under its own protection, and sums only what was shown', async () => {
    const res = await count(tokenA, { phenotypes: [SEIZURE] });
    expect(res.errors).toBeUndefined();
    const { sites, total } = res.data!.networkCohortCount;
    const by = Object.fromEntries(sites.map((s) => [s.memberId, s]));
    expect(by['site-a']).toMatchObject({ home: true, status: 'counted', count: 30 });
    expect(by['site-b']).toMatchObject({ home: false, status: 'counted', count: 30 });
    // Five match at C: the site suppresses them and the total cannot undo it.
    expect(by['site-c']).toMatchObject({ status: 'suppressed', count: null, display: '<20' });
    expect(total).toEqual({ count: 60, atLeast: 61, display: 'at least 61', complete: true });

    // Audited at home with each site's shown figure, and at each answering site.
    const home = await lastAuditEventWith(a.db.db, 'network.count');
    expect(payloadOf(home)).toMatchObject({
      shown: 'at least 61',
      sites: [
        { member: 'site-a', status: 'counted', shown: '30' },
        { member: 'site-b', status: 'counted', shown: '30' },
        { member: 'site-c', status: 'suppressed', shown: '<20' },
      ],
    });
    const atB = await lastAuditEventWith(b.db.db, 'beacon.query');
    expect(payloadOf(atB)).toMatchObject({ shown: '30', network: { member: 'site-a' } });
    const atC = await lastAuditEventWith(c.db.db, 'beacon.query');
    expect(payloadOf(atC)).toMatchObject({ shown: '<20', network: { member: 'site-a' } });
  });

  it('gives a differencing attack spread over two sites the earlier answer', async () => {
    // A researcher at C asks for "seizures, female" at B: one person fewer than the set a
    // researcher at A was shown. Both arrive as network callers, under one guard at B.
    const res = await a.gql<NetworkCountData>(
      COUNT,
      { c: { phenotypes: [SEIZURE], sex: 'female' } },
      {},
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const fromC = await c.gql<NetworkCountData>(
      COUNT,
      { c: { phenotypes: [SEIZURE], sex: 'female' } },
      { token: tokenC },
    );
    expect(fromC.errors).toBeUndefined();
    const atB = fromC.data!.networkCohortCount.sites.find((s) => s.memberId === 'site-b');
    // 29 would reveal the one male; the guard repeats 30.
    expect(atB).toMatchObject({ status: 'counted', count: 30 });
  });

  it('refuses criteria a Beacon cannot express, asking nobody and writing nothing', async () => {
    const before = await Promise.all([a, b].map((s) => auditCount(s.db.db)));
    const res = await count(tokenA, { phenotypes: [SEIZURE], ageMin: 40 });
    expect(res.errors?.[0]?.extensions?.code).toBe('VALIDATION');
    expect(res.errors?.[0]?.message).toMatch(/not by ageMin/);
    const two = await count(tokenA, { variants: ['17-100-A-T', '17-200-A-T'] });
    expect(two.errors?.[0]?.extensions?.code).toBe('VALIDATION');
    expect(await Promise.all([a, b].map((s) => auditCount(s.db.db)))).toEqual(before);
  });

  it('shows a site that is down or slow as no answer, without holding up the rest', async () => {
    const hanging = await fakeBeacon(() => {
      /* never answers */
    });
    fakes.push(hanging);
    const prefix = a.ledger.sender.slice(0, a.ledger.sender.lastIndexOf('1'));
    const { namedAccountAddress } = await import('@consentome/contracts-client');
    await governed({
      join: { member: fakeMember('site-slow', hanging.url, namedAccountAddress(prefix, 'slow')) },
    });
    await c.stopServing();
    const started = Date.now();
    const res = await count(tokenA, { phenotypes: [HEART] });
    const elapsed = Date.now() - started;
    expect(res.errors).toBeUndefined();
    const { sites, total } = res.data!.networkCohortCount;
    const by = Object.fromEntries(sites.map((s) => [s.memberId, s]));
    expect(by['site-a']).toMatchObject({ status: 'counted', count: 25 });
    expect(by['site-b']).toMatchObject({ status: 'counted', count: 0 });
    expect(by['site-c']?.status).toBe('no_answer');
    expect(by['site-slow']).toMatchObject({ status: 'no_answer' });
    expect(by['site-slow']?.detail).toMatch(/no answer within 1500 ms/);
    expect(total).toMatchObject({ count: 25, display: '25', complete: false });
    // The sites are asked in parallel: one timeout, not one per site.
    expect(elapsed).toBeLessThan(1_500 * 2);
  });

  it('refuses to show a site that answers below the threshold or not as a Beacon, and names it', async () => {
    let body: unknown = {
      meta: { returnedGranularity: 'count' },
      responseSummary: { exists: true, numTotalResults: 3 },
    };
    const rogue = await fakeBeacon((res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body)),
    );
    fakes.push(rogue);
    const prefix = a.ledger.sender.slice(0, a.ledger.sender.lastIndexOf('1'));
    const { namedAccountAddress } = await import('@consentome/contracts-client');
    await governed({
      join: { member: fakeMember('site-rogue', rogue.url, namedAccountAddress(prefix, 'rogue')) },
    });
    const low = await count(tokenA, { phenotypes: [SEIZURE] });
    const rogueRow = low.data!.networkCohortCount.sites.find((s) => s.memberId === 'site-rogue');
    expect(rogueRow).toMatchObject({ status: 'misbehaved', count: null, display: null });
    expect(rogueRow?.detail).toMatch(/below the network's threshold of 20/);
    expect(low.data!.networkCohortCount.total.count).toBe(60);

    body = { hello: 'world' };
    const malformed = await count(tokenA, { phenotypes: [HEART] });
    const again = malformed.data!.networkCohortCount.sites.find((s) => s.memberId === 'site-rogue');
    expect(again).toMatchObject({ status: 'misbehaved' });
    expect(again?.detail).toMatch(/not a Beacon count response/);
  });

  describe("visas at a member's Beacon", () => {
    async function askB(visa: string) {
      const res = await fetch(`${b.beaconUrl}/individuals`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${visa}` },
        body: JSON.stringify({
          meta: { apiVersion: 'v2.0' },
          query: { filters: [{ id: SEIZURE }], requestedGranularity: 'count' },
        }),
      });
      return {
        status: res.status,
        body: (await res.json()) as {
          responseSummary?: Record<string, unknown>;
          error: { errorMessage: string };
        },
      };
    }

    async function visaFrom(site: NetworkSite, audience: string, seconds = 60) {
      const now = new Date();
      return signResearcherStatusVisa(site.db.db, {
        subject: randomUUID(),
        issuer: site.origin,
        source: site.origin,
        asserted: now,
        now,
        expiresAt: new Date(now.getTime() + seconds * 1000),
        audience,
      });
    }

    it('answers a member’s visa addressed to it with a protected count', async () => {
      const { status, body } = await askB(await visaFrom(a, b.beaconUrl));
      expect(status).toBe(200);
      expect(body.responseSummary).toMatchObject({ exists: true, numTotalResults: 30 });
    });

    it('refuses a visa addressed to another site (replayed)', async () => {
      const { status, body } = await askB(await visaFrom(a, c.beaconUrl));
      expect(status).toBe(403);
      expect(body.error.errorMessage).toMatch(/site-a: .*aud/);
    });

    it('refuses a visa that lives longer than one query needs', async () => {
      const { status, body } = await askB(await visaFrom(a, b.beaconUrl, 86_400));
      expect(status).toBe(403);
      expect(body.error.errorMessage).toMatch(/at most 600 s/);
    });

    it('refuses a visa signed with a key the member never registered on chain (a forger)', async () => {
      const forger = await generateKeyPair('ES256');
      const kid = (await signingKey(a.db.db)).kid;
      const forge = (keyId: string) =>
        new SignJWT({
          ga4gh_visa_v1: {
            type: 'ResearcherStatus',
            asserted: Math.floor(Date.now() / 1000) - 5,
            value: 'https://doi.org/10.1038/s41431-018-0219-y',
            source: a.origin,
            by: 'so',
          },
        })
          .setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid: keyId, jku: jwksUrl(a.origin) })
          .setIssuer(a.origin)
          .setSubject('forged')
          .setAudience(b.beaconUrl)
          .setIssuedAt()
          .setExpirationTime('1m')
          .setJti(randomUUID())
          .sign(forger.privateKey);
      const unregistered = await askB(await forge('forger-key'));
      expect(unregistered.status).toBe(403);
      expect(unregistered.body.error.errorMessage).toMatch(/not registered on chain for site-a/);
      const stolenKid = await askB(await forge(kid));
      expect(stolenKid.status).toBe(403);
      expect(stolenKid.body.error.errorMessage).toMatch(/signature/);
    });

    it('refuses visas of a member once the network removed it', async () => {
      const visa = await visaFrom(c, b.beaconUrl);
      const before = await auditCount(b.db.db);
      await governed({ remove: { id: 'site-c' } });
      const { status, body } = await askB(visa);
      expect(status).toBe(403);
      expect(body.error.errorMessage).toMatch(/site-c is no longer a member/);
      // The refusal is audited (naming the institution), and nothing was answered.
      expect(await auditCount(b.db.db)).toBe(before + 1);
      expect(payloadOf(await lastAuditEventWith(b.db.db, 'beacon.network_refused'))).toEqual({
        reason: 'site-c is no longer a member of the network',
      });
    });
  });
});
