import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { namedAccountAddress } from './bech32-address.js';
import { SigningConsentLedger } from './consent-ledger.js';
import { normalizeDerSignature, signedStatement } from './consent-record.js';
import { EmbeddedChain } from './embedded/embedded-chain.js';
import type { Assertion, ConsentItem } from './messages.js';
import { linkAcceptChallenge, linkOfferChallenge } from './participant-link.js';
import { expectRefused } from './test-support/expect-refused.js';
import { consentItems, hex64 } from './test-support/fixtures.js';
import { SoftPasskey, TEST_RP } from './test-support/soft-passkey.js';
import { loadConsentLedgerWasm } from './wasm-artifact.js';

const RP_A = { origin: 'https://a.example.org', rp_id: 'a.example.org' };
const RP_B = { origin: 'https://b.example.org', rp_id: 'b.example.org' };
const at = (rp: typeof RP_A) => ({ origin: rp.origin, rpId: rp.rp_id });
/** As the relay sends it: authenticators sign with a high S half the time; the contract wants low. */
const low = (x: Assertion): Assertion => ({ ...x, signature: normalizeDerSignature(x.signature) });

/**
 * Participant links with real P-256 signatures on the wasm (the embedded chain verifies with
 * @noble/curves): each site its own relying party, a link signed at both ends, a link signed by
 * the wrong key, replays, and the latest decision read across the linked pseudonyms.
 */
describe('participant links on the embedded chain', () => {
  let dir: string;
  let backend: EmbeddedChain;
  let admin: SigningConsentLedger;
  let a: SigningConsentLedger;
  let b: SigningConsentLedger;
  const pa = hex64('participant-at-a');
  const pb = hex64('participant-at-b');
  const keyA = new SoftPasskey();
  const keyB = new SoftPasskey();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'link-suite-'));
    backend = await EmbeddedChain.open({ dir });
    const adminAddress = namedAccountAddress('wasm', 'link-admin');
    const { codeId } = await backend.upload(adminAddress, (await loadConsentLedgerWasm()).bytes);
    const { contractAddress } = await backend.instantiate(
      adminAddress,
      codeId,
      { admin: adminAddress, writers: [], webauthn: { ...TEST_RP } },
      'link suite',
      adminAddress,
    );
    const as = (name: string) =>
      new SigningConsentLedger(backend, contractAddress, namedAccountAddress('wasm', name));
    admin = as('link-admin');
    a = as('link-site-a');
    b = as('link-site-b');
    for (const [id, site] of [
      ['site-a', a],
      ['site-b', b],
    ] as const)
      await admin.admitMember({
        id,
        name: id,
        writer: site.sender,
        passport_jwks_url: `https://${id}.example.org/jwks.json`,
        passport_key_ids: ['k1'],
        beacon_url: `https://${id}.example.org/beacon`,
      });
    await a.setSiteWebauthn(RP_A);
    await b.setSiteWebauthn(RP_B);
    const enrolment = { institution: { witness: 'enrolment' } };
    await a.registerPasskey(pa, keyA.keyId, keyA.publicKeyHex, enrolment);
    await b.registerPasskey(pb, keyB.keyId, keyB.publicKeyHex, enrolment);
  });
  afterAll(async () => {
    await backend?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('each site has its own relying party: a key verifies only at the site that registered it', async () => {
    expect(await a.siteWebauthn(a.sender)).toEqual(RP_A);
    const item = consentItems('rp', 1, 1, { subject: pa, version: 1 })[0]!;
    const sign = (rp: typeof RP_A): ConsentItem => ({
      ...item,
      proof: {
        passkey: { assertion: low(keyA.assert(signedStatement([item]).challenge, at(rp))) },
      },
    });
    const err = await expectRefused(a.recordConsents([sign(RP_B)]), 'rejected');
    expect(err.message).toContain('the origin is not the configured one');
    await expectRefused(a.recordConsents([{ ...sign(TEST_RP) }]), 'rejected');
    await a.recordConsents([sign(RP_A)]);
    expect((await a.consent(pa, item.scope))?.signed_by?.key_id).toBe(keyA.keyId);
  });

  it('refuses a link signed by the wrong key, and records nothing', async () => {
    const nonce = randomBytes(32).toString('hex');
    const thief = new SoftPasskey();
    // A real signature by another key, claiming to be the participant's key at a.
    const forged = { ...low(thief.assert(linkOfferChallenge(nonce, pa, 'site-b'), at(RP_A))) };
    forged.key_id = keyA.keyId;
    const err = await expectRefused(
      a.offerLink({ subject: pa, nonce, toMember: 'site-b', assertion: forged }),
      'rejected',
    );
    expect(err.message).toContain('the signature does not verify');
    // The participant's key at b cannot sign for their pseudonym at a.
    await expectRefused(
      a.offerLink({
        subject: pa,
        nonce,
        toMember: 'site-b',
        assertion: low(keyB.assert(linkOfferChallenge(nonce, pa, 'site-b'), at(RP_A))),
      }),
      'rejected',
    );
    expect(await a.linkOffer(nonce)).toBeNull();

    await a.offerLink({
      subject: pa,
      nonce,
      toMember: 'site-b',
      assertion: low(keyA.assert(linkOfferChallenge(nonce, pa, 'site-b'), at(RP_A))),
    });
    // Acceptance signed by a's key (the wrong site's), or by b's key over another subject.
    await expectRefused(
      b.acceptLink(nonce, pb, low(keyA.assert(linkAcceptChallenge(nonce, pa, pb), at(RP_B)))),
      'rejected',
    );
    await expectRefused(
      b.acceptLink(nonce, pb, low(keyB.assert(linkAcceptChallenge(nonce, pa, pa), at(RP_B)))),
      'rejected',
    );
    expect(await b.linkGroup(pb)).toBeNull();
  });

  it('links with both passkeys, refuses replays, and reads the latest decision across the link', async () => {
    const nonce = randomBytes(32).toString('hex');
    const offer = {
      subject: pa,
      nonce,
      toMember: 'site-b',
      assertion: low(keyA.assert(linkOfferChallenge(nonce, pa, 'site-b'), at(RP_A))),
    };
    await a.offerLink(offer);
    const replayedOffer = await expectRefused(a.offerLink(offer), 'rejected');
    expect(replayedOffer.message).toContain('replayed');
    const acceptance = low(keyB.assert(linkAcceptChallenge(nonce, pa, pb), at(RP_B)));
    await b.acceptLink(nonce, pb, acceptance);
    const replayed = await expectRefused(b.acceptLink(nonce, pb, acceptance), 'rejected');
    expect(replayed.message).toContain('replayed: this link offer was already accepted');

    const group = await b.linkGroup(pb);
    expect(group?.subjects.map((s) => [s.subject, s.member])).toEqual([
      [pa, 'site-a'],
      [pb, 'site-b'],
    ]);

    // A withdrawal of discovery signed at a is the latest decision b reads for its pseudonym.
    const withdrawal: ConsentItem = {
      ...consentItems('withdraw', 1, 1, { subject: pa, version: 2, decision: 'deny' })[0]!,
    };
    const signed = {
      ...withdrawal,
      proof: {
        passkey: { assertion: low(keyA.assert(signedStatement([withdrawal]).challenge, at(RP_A))) },
      },
    };
    await a.recordConsents([signed]);
    const latest = await b.linkedConsent(pb, withdrawal.scope);
    expect(latest).toMatchObject({ subject: pa, decision: 'deny', event_id: withdrawal.event_id });
    // Nothing about b's own pseudonym changed: the commitments stay distinct on chain.
    expect(await b.consent(pb, withdrawal.scope)).toBeNull();
  });
});
