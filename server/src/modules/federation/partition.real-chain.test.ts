import { eq } from 'drizzle-orm';
import {
  SigningConsentLedger,
  connectRealChain,
  readChainConfig,
} from '@consentome/contracts-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEventsWithAction } from '../../test/audit-rows.js';
import { startCuttableProxy, type CuttableProxy } from '../../test/cuttable-proxy.js';
import { loginAs, makeUser } from '../../test/in-process-api.js';
import {
  addToSiteData,
  enrolWithPasskey,
  linkRecords,
  withdrawSigned,
  type SiteParticipant,
} from '../../test/linked-person.js';
import { insertPeople, startNetworkSiteOn, type NetworkSite } from '../../test/network-site.js';
import { openRealTestLedger, type TestLedger } from '../../test/real-test-chain.js';
import { TEST_DRIVER } from '../../test/test-database.js';
import { createLogger } from '../../lib/logger.js';
import { OutboxRelay } from '../chain/outbox-relay.js';
import { chainSubject } from '../chain/subject-pseudonym.js';
import { datasets } from '../datasets/datasets.tables.js';
import { boardSource, datasetVisaValue } from '../grants/grant-visas.js';
import { signControlledAccessVisa } from '../grants/passport/visa.js';
import { participants } from '../participants/participants.tables.js';

const RP_A = { origin: 'http://localhost:5173', rp_id: 'localhost' };
const RP_B = { origin: 'http://127.0.0.1:5174', rp_id: '127.0.0.1' };
const SEIZURE = 'HP:0001250';
const COUNT = `query($c: CohortCriteriaInput!) { cohortCount(criteria: $c) { display } }`;
const OPEN_TO_VISAS = `mutation($d: ID!) { setDatasetNetworkAccess(datasetId: $d, networkAccess: visa) {
  __typename } }`;
const quiet = createLogger('silent');

/**
 * Issue #14's partition attack on wasmd: two member sites on the localnet, one participant
 * linked at both. Site B reaches its node only through a TCP proxy the test cuts; while B is
 * cut off, the participant withdraws at A (signed with A's passkey, on chain). B then refuses to
 * count, and to export to A's researcher (network export door, A's DAC visa), rather than answer
 * on the consent it last saw; once the link is back its very first answer already leaves the
 * participant out.
 */
describe(`a site cut off from the chain while consent changes elsewhere (${TEST_DRIVER})`, () => {
  let chain: TestLedger;
  let proxy: CuttableProxy;
  let closeB: () => Promise<void>;
  let closeA: () => Promise<void>;
  let a: NetworkSite;
  let b: NetworkSite;
  let atA: SiteParticipant;
  let atB: SiteParticipant;
  let tokenB: string;
  let laterTokenB: string;
  let numB: number;
  /**
   * A's DAC's visa for B's dataset, for B's network doors: signed for each call, as A's server
   * does, addressed to B's Beacon and living five minutes (B refuses any other).
   */
  let visa: () => Promise<string>;

  beforeAll(async () => {
    const config = readChainConfig();
    if (config.mode !== 'real') throw new Error('a real-chain test needs CHAIN_RPC_URL');
    const adminMnemonic = process.env.CHAIN_ADMIN_MNEMONIC;
    if (!adminMnemonic) throw new Error("site A signs with the localnet's CHAIN_ADMIN_MNEMONIC");
    // A fresh contract, administered by B's key (the localnet's relayer).
    chain = await openRealTestLedger('federation partition');
    proxy = await startCuttableProxy(config.rpcUrl);
    const viaProxy = await connectRealChain({ ...config, rpcUrl: proxy.url });
    closeB = () => viaProxy.backend.close();
    b = await startNetworkSiteOn(
      {
        kind: 'real',
        backend: viaProxy.backend,
        ledger: new SigningConsentLedger(viaProxy.backend, chain.contractAddress, viaProxy.sender),
        contractAddress: chain.contractAddress,
      },
      'site-b',
      { webauthn: RP_B },
    );
    // A signs with a key of its own: the localnet's contract admin account, funded at genesis.
    const ownKey = await connectRealChain({
      ...config,
      mnemonic: adminMnemonic,
    });
    closeA = () => ownKey.backend.close();
    a = await startNetworkSiteOn(
      {
        kind: 'real',
        backend: ownKey.backend,
        ledger: new SigningConsentLedger(ownKey.backend, chain.contractAddress, ownKey.sender),
        contractAddress: chain.contractAddress,
      },
      'site-a',
      { webauthn: RP_A },
    );
    expect(a.ledger.sender).not.toBe(b.ledger.sender);
    await chain.ledger.admitMember(await a.memberInput());
    await chain.ledger.admitMember(await b.memberInput());
    await a.ledger.setSiteWebauthn(RP_A);
    await b.ledger.setSiteWebauthn(RP_B);

    // B's data: 24 others and the linked participant, all female with a seizure.
    const datasetId = await insertPeople(b.db.db, [
      { count: 24, sex: 'female', phenotype: SEIZURE },
    ]);
    atA = await enrolWithPasskey(a, RP_A, 'linked@site-a.local');
    atB = await enrolWithPasskey(b, RP_B, 'linked@site-b.local');
    await addToSiteData(b.db.db, atB.id, datasetId, SEIZURE);
    const [row] = await b.db.db
      .select({ num: participants.num })
      .from(participants)
      .where(eq(participants.id, atB.id));
    numB = row!.num;
    // The passkeys reach the chain, then the participant links their records.
    await new OutboxRelay(a.db.db, a.ledger, quiet).drain();
    await new OutboxRelay(b.db.db, b.ledger, quiet).drain();
    await linkRecords(
      { site: a, rp: RP_A, person: atA },
      { site: b, rp: RP_B, person: atB, member: 'site-b' },
    );
    // B's dataset answers other members' DAC visas; A's researcher records a purpose at B.
    await b.db.db.update(datasets).set({ collectionConsent: 'broad_gru' });
    const opened = await b.gql<{ setDatasetNetworkAccess: { __typename: string } }>(
      OPEN_TO_VISAS,
      { d: datasetId },
      { token: await loginAs(b.gql, await makeUser(b.db.db, 'admin')) },
    );
    expect(opened.data?.setDatasetNetworkAccess.__typename).toMatch(/Success/);
    visa = () => {
      const now = new Date();
      return signControlledAccessVisa(a.db.db, {
        subject: 'researcher-at-a',
        issuer: a.origin,
        asserted: new Date(now.getTime() - 60_000),
        now,
        expiresAt: new Date(now.getTime() + 300_000),
        value: datasetVisaValue(b.origin, datasetId),
        source: boardSource(a.origin),
        audience: b.beaconUrl,
      });
    };
    const asked = await door('access-requests', { purpose: { primary: 'HMB', commercial: false } });
    expect(asked).toMatchObject({ status: 201, body: { status: 'approved' } });
    tokenB = await loginAs(b.gql, await makeUser(b.db.db, 'researcher'));
    // Another researcher for the answer after rejoining: B's differencing guard gives one
    // researcher the same answer for two cohorts one person apart.
    laterTokenB = await loginAs(b.gql, await makeUser(b.db.db, 'researcher'));
  }, 120_000);

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await closeA?.();
    await closeB?.();
    await proxy?.close();
    await chain?.close();
  });

  /** A's researcher at B's network door, with A's visa. */
  async function door(path: 'access-requests' | 'exports', body: unknown = {}) {
    const res = await fetch(`${b.origin}/api/network/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await visa()}` },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    return {
      status: res.status,
      body: (text.startsWith('{') ? JSON.parse(text) : {}) as {
        status?: string;
        samples?: string[];
      },
    };
  }

  /** B's count of the criteria, and whether the linked participant is in it. */
  const countAtB = async () => {
    const index = await b.services.cohorts.current();
    const criteria = { phenotypes: [SEIZURE], sex: 'female' as const };
    const members = index.members(criteria);
    try {
      return { count: index.count(criteria), counted: members.has(numB) };
    } finally {
      members.dispose?.();
    }
  };
  const statusAtB = async () =>
    (
      await b.db.db
        .select({ status: participants.status })
        .from(participants)
        .where(eq(participants.id, atB.id))
    )[0]!.status;

  it('refuses to count or export while cut off, and its first answer after rejoining leaves the withdrawn participant out', async () => {
    expect(await countAtB()).toEqual({ count: 25, counted: true });
    const asked = await b.gql(COUNT, { c: { phenotypes: [SEIZURE] } }, { token: tokenB });
    expect(asked.errors).toBeUndefined();
    expect(asked.data).toEqual({ cohortCount: { display: '25' } });
    const exported = await door('exports');
    expect(exported.status).toBe(200);
    expect(exported.body.samples).toHaveLength(25);
    const exportsBefore = await auditEventsWithAction(b.db.db, 'network_export.create');

    proxy.cut();
    await withdrawSigned(a.db.db, RP_A, atA);
    await new OutboxRelay(a.db.db, a.ledger, quiet).drain();
    // The withdrawal is on chain: the group's latest discovery decision is A's deny.
    const subjectB = await b.db.db.transaction((tx) => chainSubject(tx, atB.id));
    const latest = await chain.ledger.linkedConsent(subjectB, 'discovery');
    expect(latest?.decision).toBe('deny');
    expect(latest?.subject).not.toBe(subjectB);

    // Cut off, B answers nothing rather than 25 on the consent it last saw.
    await expect(countAtB()).rejects.toThrow();
    const refused = await b.gql(COUNT, { c: { phenotypes: [SEIZURE] } }, { token: laterTokenB });
    expect(refused.data?.cohortCount ?? null).toBeNull();
    expect(refused.errors?.length).toBeGreaterThan(0);
    const cutOff = await door('exports');
    expect(cutOff.status).not.toBe(200);
    expect(cutOff.body.samples).toBeUndefined();
    expect(await auditEventsWithAction(b.db.db, 'network_export.create')).toEqual(exportsBefore);
    expect(await statusAtB()).toBe('enrolled');
    expect(await auditEventsWithAction(b.db.db, 'consent.linked.apply')).toHaveLength(0);

    // Back on the network: the first answer has caught up.
    proxy.restore();
    const back = await b.gql(COUNT, { c: { phenotypes: [SEIZURE] } }, { token: laterTokenB });
    expect(back.errors).toBeUndefined();
    expect(back.data).toEqual({ cohortCount: { display: '24' } });
    expect(await countAtB()).toEqual({ count: 24, counted: false });
    const rejoined = await door('exports');
    expect(rejoined.status).toBe(200);
    expect(rejoined.body.samples).toHaveLength(24);
    expect(await statusAtB()).toBe('withdrawn');
    expect(await auditEventsWithAction(b.db.db, 'consent.linked.apply')).toHaveLength(1);
  });
});
