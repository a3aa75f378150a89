import {
  namedAccountAddress,
  SigningConsentLedger,
  type EmbeddedLedger,
  type MemberInput,
} from '@consentome/contracts-client';
import { and, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppServices } from '../../app/app-services.js';
import { auditEvents } from '../audit/audit.tables.js';
import { createTestApi, loginAs, makeUser, testConfig, type TestApi } from '../../test/test-api.js';
import { createTestDatabase, type TestDatabase } from '../../test/test-database.js';
import { embeddedConnection, openTestLedger } from '../../test/test-chain.js';

function site(id: string, writer: string): MemberInput {
  return {
    id,
    name: `Hospital ${id}`,
    writer,
    passport_jwks_url: `https://${id}.example.org/jwks.json`,
    passport_key_ids: [`${id}-2026`],
    beacon_url: `https://${id}.example.org/beacon/v2`,
  };
}

/** A join proposal's input as the portal sends it, for institution `id`. */
function proposal(id: string, overrides: Record<string, unknown> = {}) {
  return {
    id,
    name: `Hospital ${id}`,
    writer: namedAccountAddress('wasm', `network-test-${id}`),
    passportJwksUrl: `https://${id}.example.org/jwks.json`,
    passportKeyIds: [`${id}-1`],
    beaconUrl: `https://${id}.example.org/beacon/v2`,
    ...overrides,
  };
}

const NETWORK = `{ network { bootstrapClosed votesNeeded selfAddress
  self { id name passportKeyIds }
  members { id writer removedBy }
  proposals { id kind memberId status yes no electorate } } }`;

const PROPOSE = `mutation($input: ProposeMemberInput!) { proposeNetworkMember(input: $input) {
  __typename ... on MutationProposeNetworkMemberSuccess { data { id status yes } }
  ... on Error { message } } }`;

const VOTE = `mutation($id: Int!, $approve: Boolean!) { voteOnNetworkProposal(proposalId: $id, approve: $approve) {
  __typename ... on MutationVoteOnNetworkProposalSuccess { data { id status yes no } }
  ... on Error { message } } }`;

const UPDATE = `mutation($input: OwnMemberDetailsInput!) { updateOwnNetworkDetails(input: $input) {
  __typename ... on MutationUpdateOwnNetworkDetailsSuccess { data { passportKeyIds } }
  ... on Error { message } } }`;

/** The audit payload as stored (canonical JSON text). */
function payloadOf(payload: unknown): unknown {
  return typeof payload === 'string' ? JSON.parse(payload) : payload;
}

interface NetworkData {
  network: {
    bootstrapClosed: boolean;
    votesNeeded: number;
    selfAddress: string;
    self: { id: string; name: string; passportKeyIds: string[] } | null;
    members: { id: string; writer: string; removedBy: string | null }[];
    proposals: { id: number; kind: string; memberId: string; status: string; yes: string[] }[];
  };
}

describe('the network of institutions, read from and governed on the chain', () => {
  let db: TestDatabase;
  let embedded: EmbeddedLedger;
  let gql: TestApi;
  let admin: string;
  let steward: string;
  let participant: string;
  /** Another institution, signing with its own key on the same chain. */
  let siteB: SigningConsentLedger;

  beforeAll(async () => {
    db = await createTestDatabase();
    embedded = await openTestLedger();
    const connection = embeddedConnection(embedded);
    const config = testConfig();
    gql = createTestApi(db.db, config, createAppServices(db.db, config, { chain: connection }));
    admin = await loginAs(gql, await makeUser(db.db, 'admin'));
    steward = await loginAs(gql, await makeUser(db.db, 'steward'));
    participant = await loginAs(gql, await makeUser(db.db, 'participant'));
    siteB = new SigningConsentLedger(
      embedded.chain,
      embedded.contractAddress,
      namedAccountAddress('wasm', 'network-test-site-b'),
    );
  });
  afterAll(async () => {
    await embedded?.chain.close();
    await db?.dispose();
  });

  it('shows a server that is not yet a member, and lets only staff see the network', async () => {
    const res = await gql<NetworkData>(NETWORK, {}, { token: steward });
    expect(res.errors).toBeUndefined();
    expect(res.data?.network).toMatchObject({
      bootstrapClosed: false,
      self: null,
      members: [],
      selfAddress: embedded.sender,
    });
    const refused = await gql(NETWORK, {}, { token: participant });
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    // Not a member: it cannot propose.
    const early = await gql<{ proposeNetworkMember: { __typename: string; message: string } }>(
      PROPOSE,
      { input: proposal('site-c') },
      { token: admin },
    );
    expect(early.data?.proposeNetworkMember.message).toMatch(/not a member of the network/);
  });

  it('reads the founding members from the chain once the operator bootstrapped them', async () => {
    await embedded.ledger.admitMember(site('site-a', embedded.sender));
    await embedded.ledger.admitMember(site('site-b', siteB.sender));
    await embedded.ledger.closeBootstrap();
    const res = await gql<NetworkData>(NETWORK, {}, { token: steward });
    expect(res.data?.network).toMatchObject({
      bootstrapClosed: true,
      votesNeeded: 2,
      self: { id: 'site-a', name: 'Hospital site-a' },
    });
    expect(res.data?.network.members.map((m) => m.id)).toEqual(['site-a', 'site-b']);
  });

  it('proposes a join signed by this institution, which passes when the other member agrees', async () => {
    const input = proposal('site-c');
    const denied = await gql<{ proposeNetworkMember: { message: string } }>(
      PROPOSE,
      { input },
      { token: steward },
    );
    expect(denied.errors?.[0]?.extensions?.code ?? denied.data?.proposeNetworkMember).toBeTruthy();
    expect(denied.data?.proposeNetworkMember ?? null).toBeNull();

    const made = await gql<{
      proposeNetworkMember: {
        __typename: string;
        data: { id: number; status: string; yes: string[] };
      };
    }>(PROPOSE, { input }, { token: admin });
    expect(made.data?.proposeNetworkMember.data).toEqual({
      id: 1,
      status: 'open',
      yes: ['site-a'],
    });
    // The other member votes with its own key: the join passes.
    await siteB.voteMembership(1, true);
    const res = await gql<NetworkData>(NETWORK, {}, { token: admin });
    expect(res.data?.network.members.map((m) => m.id)).toEqual(['site-a', 'site-b', 'site-c']);
    expect(res.data?.network.proposals[0]).toMatchObject({ id: 1, status: 'passed' });
    const audited = await db.db
      .select({ payload: auditEvents.payload })
      .from(auditEvents)
      .where(eq(auditEvents.action, 'network.propose'));
    expect(audited).toHaveLength(1);
    expect(payloadOf(audited[0]?.payload)).toMatchObject({ change: 'join', memberId: 'site-c' });
  });

  it('votes for this institution on another member’s proposal, once', async () => {
    await siteB.proposeMembership({ remove: { id: 'site-c' } });
    const vote = await gql<{
      voteOnNetworkProposal: { __typename: string; data?: { status: string }; message?: string };
    }>(VOTE, { id: 2, approve: true }, { token: admin });
    expect(vote.data?.voteOnNetworkProposal.data?.status).toBe('passed');
    const again = await gql<{ voteOnNetworkProposal: { __typename: string; message: string } }>(
      VOTE,
      { id: 2, approve: false },
      { token: admin },
    );
    expect(again.data?.voteOnNetworkProposal).toMatchObject({
      __typename: 'ValidationError',
      message: expect.stringMatching(/already decided/),
    });
    const res = await gql<NetworkData>(NETWORK, {}, { token: admin });
    expect(res.data?.network.members.find((m) => m.id === 'site-c')?.removedBy).toBe('proposal:2');
  });

  it('refuses bad input before anything is signed, and audits nothing for it', async () => {
    const before = await db.db
      .select({ seq: auditEvents.seq })
      .from(auditEvents)
      .where(like(auditEvents.action, 'network.%'));
    const bad = await gql<{ proposeNetworkMember: { __typename: string; message: string } }>(
      PROPOSE,
      {
        input: proposal('site-d', {
          id: 'Site D',
          writer: 'not-an-address',
          passportJwksUrl: 'http://d.example.org/jwks.json',
          passportKeyIds: [],
        }),
      },
      { token: admin },
    );
    expect(bad.data?.proposeNetworkMember.__typename).toBe('ValidationError');
    const reused = await gql<{ proposeNetworkMember: { __typename: string; message: string } }>(
      PROPOSE,
      {
        input: proposal('site-c', { writer: namedAccountAddress('wasm', 'network-test-site-c2') }),
      },
      { token: admin },
    );
    expect(reused.data?.proposeNetworkMember).toMatchObject({
      __typename: 'ConflictError',
      message: expect.stringMatching(/is taken/),
    });
    const after = await db.db
      .select({ seq: auditEvents.seq })
      .from(auditEvents)
      .where(like(auditEvents.action, 'network.%'));
    expect(after).toHaveLength(before.length);
    expect((await embedded.ledger.network()).proposals).toBe(2);
  });

  it('rotates this institution’s Passport keys on chain', async () => {
    const res = await gql<{ updateOwnNetworkDetails: { data?: { passportKeyIds: string[] } } }>(
      UPDATE,
      { input: { passportKeyIds: ['site-a-2026', 'site-a-2027'] } },
      { token: admin },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.updateOwnNetworkDetails.data?.passportKeyIds).toEqual([
      'site-a-2026',
      'site-a-2027',
    ]);
    expect((await siteB.member('site-a'))?.passport_key_ids).toEqual([
      'site-a-2026',
      'site-a-2027',
    ]);
    const [event] = await db.db
      .select({ payload: auditEvents.payload })
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'network.update_self')));
    expect(payloadOf(event?.payload)).toMatchObject({ fields: ['passportKeyIds'] });
  });
});
