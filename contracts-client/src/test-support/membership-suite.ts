import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChainBackend } from '../chain.js';
import { SigningConsentLedger } from '../consent-ledger.js';
import type { MemberInput } from '../membership-messages.js';
import { expectRefused } from './expect-refused.js';
import { grantItem } from './fixtures.js';

/** One party that signs its own transactions. */
export interface Signer {
  backend: ChainBackend;
  address: string;
}

/**
 * A chain on which several parties sign: the admin (who deploys) and `signers(n)` distinct
 * institutions (funded on a real chain).
 */
export interface MembershipSuiteChain {
  admin: Signer;
  signers(n: number): Promise<Signer[]>;
  wasm: Uint8Array;
  teardown(): Promise<void>;
}

function site(id: string, writer: string): MemberInput {
  return {
    id,
    name: `Hospital ${id}`,
    writer,
    passport_jwks_url: `https://${id}.example.org/.well-known/jwks.json`,
    passport_key_ids: [`${id}-2026`],
    beacon_url: `https://${id}.example.org/beacon/v2`,
  };
}

/**
 * The member registry with real signatures from three institutions: the admin's bootstrap, a
 * join by vote, a removal by vote, and the writes each one may or may not make after each step.
 */
export function defineMembershipSuite(
  label: string,
  open: () => Promise<MembershipSuiteChain>,
): void {
  describe(`the network's member registry on the ${label}`, () => {
    let env: MembershipSuiteChain;
    let admin: SigningConsentLedger;
    let a: SigningConsentLedger;
    let b: SigningConsentLedger;
    let c: SigningConsentLedger;

    beforeAll(async () => {
      env = await open();
      const { codeId } = await env.admin.backend.upload(env.admin.address, env.wasm);
      const { contractAddress } = await env.admin.backend.instantiate(
        env.admin.address,
        codeId,
        { admin: env.admin.address, writers: [] },
        'membership suite',
        env.admin.address,
      );
      const [sa, sb, sc] = await env.signers(3);
      const as = (s: Signer) => new SigningConsentLedger(s.backend, contractAddress, s.address);
      admin = as(env.admin);
      a = as(sa!);
      b = as(sb!);
      c = as(sc!);
    });
    afterAll(async () => {
      await env?.teardown();
    });

    it('bootstraps two founding members, then the admin steps back', async () => {
      await admin.admitMember(site('site-a', a.sender));
      await admin.admitMember(site('site-b', b.sender));
      expect((await admin.config()).writers).toEqual([a.sender, b.sender].sort());
      // Only the admin admits, and the members' writers stay theirs.
      await expectRefused(a.admitMember(site('site-c', c.sender)), 'unauthorized');
      await expectRefused(admin.removeWriter(a.sender), 'rejected');
      await admin.closeBootstrap();
      expect(await admin.network()).toMatchObject({
        bootstrap_closed: true,
        active_members: 2,
        votes_needed: 2,
      });
      await expectRefused(admin.admitMember(site('site-c', c.sender)), 'unauthorized');
      await expectRefused(admin.addWriter(c.sender), 'unauthorized');
    });

    it('admits a third member only when a majority of the members votes for it', async () => {
      await a.proposeMembership({ join: { member: site('site-c', c.sender) } });
      const [proposal] = await a.membershipProposals();
      expect(proposal).toMatchObject({
        id: 1,
        status: 'open',
        yes: ['site-a'],
        proposer: 'site-a',
      });
      // Not yet a member: its writes are refused, and so is its vote.
      await expectRefused(c.recordGrants([grantItem('c-early')]), 'unauthorized');
      await expectRefused(c.voteMembership(1, true), 'unauthorized');
      await expectRefused(a.voteMembership(1, true), 'rejected');
      await b.voteMembership(1, true);
      expect((await a.membershipProposal(1))?.status).toBe('passed');
      expect(await a.memberByWriter(c.sender)).toMatchObject({
        id: 'site-c',
        admitted_by: 'proposal:1',
      });
      await c.recordGrants([grantItem('c-admitted')]);
    });

    it('removes a member by vote, after which its writes and votes are refused', async () => {
      await b.proposeMembership({ remove: { id: 'site-a' } });
      await c.voteMembership(2, true);
      expect((await b.members()).map((m) => m.id)).toEqual(['site-b', 'site-c']);
      const removed = await b.member('site-a');
      expect(removed?.removed?.by).toBe('proposal:2');
      await expectRefused(a.recordGrants([grantItem('a-after')]), 'unauthorized');
      await expectRefused(a.proposeMembership({ remove: { id: 'site-b' } }), 'unauthorized');
      expect((await b.config()).writers).toEqual([b.sender, c.sender].sort());
    });

    it('lets a member rotate its own Passport keys, and nobody else', async () => {
      await b.updateMember({ passport_key_ids: ['site-b-2026', 'site-b-2027'] });
      expect((await c.member('site-b'))?.passport_key_ids).toEqual(['site-b-2026', 'site-b-2027']);
      await expectRefused(a.updateMember({ name: 'Hijacked' }), 'unauthorized');
      await expectRefused(b.updateMember({ beacon_url: 'http://b.example.org' }), 'invalid');
    });
  });
}
