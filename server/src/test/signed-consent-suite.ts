import {
  consentRecordDigest,
  normalizeDerSignature,
  verifyConsentBundle,
  type ConsentItem,
} from '@consentome/contracts-client';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tx } from '../db/database.js';
import { createLogger } from '../lib/logger.js';
import { SoftAuthenticator } from './soft-authenticator.js';
import { TEST_PASSWORD } from './test-api.js';
import type { TestLedger } from './real-test-chain.js';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from './test-database.js';
import { systemActor, type UserActor } from '../modules/actors/actor.js';
import { chainOutbox } from '../modules/chain/chain.tables.js';
import { signedConsentBundle, verifyConsentOnChain } from '../modules/chain/consent-verify.js';
import { verifyConsentFile } from '../cli/verify-consent-file.js';
import { OutboxRelay } from '../modules/chain/outbox-relay.js';
import { chainSubject } from '../modules/chain/subject-pseudonym.js';
import { notifications } from '../modules/notifications/notifications.tables.js';
import { resetParticipantPasskeys } from '../modules/passkeys/passkey-reset.service.js';
import { consentPreferences } from '../modules/consent/consent.tables.js';
import { getMyConsent, setConsentPreferences } from '../modules/consent/consent.service.js';
import {
  createEnrolmentCode,
  createParticipant,
  enrolWithCode,
} from '../modules/participants/participants.service.js';
import {
  addPasskey,
  listPasskeys,
  passkeyRegistrationOptions,
} from '../modules/passkeys/passkeys.service.js';
import {
  prepareSigningStatement,
  type ConsentSigning,
} from '../modules/passkeys/signed-consent.js';

const RP = { origin: 'http://localhost:5173', rp_id: 'localhost' };
const quiet = createLogger('silent');

const prefs = (commercial: 'permit' | 'deny') => ({
  purposes: {
    GRU: 'permit',
    HMB: 'permit',
    DS: 'ask',
    POA: 'deny',
    METHODS: 'ask',
    COMMERCIAL: commercial,
  },
  askEachTime: false,
  discoverable: true,
  recontact: false,
});

/**
 * Participant-signed consent through the API's services onto a chain (the embedded one, or wasmd
 * in the real-chain project): enrolment, a signed change, refusals, and the operator test.
 */
export function defineSignedConsentSuite(label: string, open: () => Promise<TestLedger>): void {
  describe(`participant-signed consent through the API's services on the ${label} (${TEST_DRIVER})`, () => {
    let db: TestDatabase;
    let chain: TestLedger;
    let relay: OutboxRelay;
    let actor: UserActor;
    let participantId: string;
    let subject: string;
    let device: SoftAuthenticator;

    beforeAll(async () => {
      db = await createTestDatabase();
      chain = await open();
      await chain.ledger.setWebauthn(RP);
      relay = new OutboxRelay(db.db, chain.ledger, quiet);
      const operator = systemActor('test');
      ({ actor, participantId } = await db.db.transaction(async (tx) => {
        const p = await createParticipant(tx, operator, { sex: 'female', birthYear: 1980 });
        const { code } = await createEnrolmentCode(tx, operator, p.id);
        const { user } = await enrolWithCode(tx, {
          code,
          email: 'signer@test.local',
          password: TEST_PASSWORD,
          displayName: 'S',
        });
        const a: UserActor = {
          kind: 'user',
          userId: user.id,
          role: 'participant',
          sessionId: null,
        };
        return { actor: a, participantId: p.id };
      }));
      subject = await db.db.transaction((tx) => chainSubject(tx, participantId));
      device = new SoftAuthenticator(RP);
    });
    afterAll(async () => {
      await chain?.close();
      await db?.dispose();
    });

    /** Rows of the participant's preference history and the outbox: "nothing written" compares. */
    const written = async () => ({
      versions: await db.db
        .select()
        .from(consentPreferences)
        .where(eq(consentPreferences.participantId, participantId)),
      outbox: await db.db.select().from(chainOutbox).orderBy(asc(chainOutbox.id)),
    });

    it('registers a passkey, on chain by the institution with a witness (first key)', async () => {
      const options = await db.db.transaction((tx) => passkeyRegistrationOptions(tx, actor, RP));
      expect(options.pubKeyCredParams).toEqual([{ alg: -7, type: 'public-key' }]);
      await db.db.transaction((tx) =>
        addPasskey(tx, actor, RP, { response: device.register(options.challenge), name: 'Laptop' }),
      );
      expect((await db.db.transaction((tx) => listPasskeys(tx, actor))).map((k) => k.name)).toEqual(
        ['Laptop'],
      );
      await relay.drain();
      const [onChain] = (await chain.ledger.passkeys(subject)).passkeys;
      expect(onChain).toMatchObject({
        key_id: device.credentialId,
        added_by: 'institution',
        witness: 'participant-portal-session',
      });
    });

    it('a signed preference change is verified, recorded with its proof and stored on chain as participant-signed', async () => {
      const before = await written();
      const run = (tx: Tx, signing: ConsentSigning) =>
        setConsentPreferences(tx, actor, prefs('deny'), signing);
      const statement = await prepareSigningStatement(db.db, run, RP);
      // Preparing wrote nothing.
      expect(await written()).toEqual(before);
      expect(statement.records.map((r) => r.scope)).toContain('purpose:COMMERCIAL');
      const response = device.assert(statement.challenge!);
      const version = await db.db.transaction((tx) =>
        setConsentPreferences(tx, actor, prefs('deny'), {
          kind: 'signed',
          rp: RP,
          time: statement.time,
          response,
        }),
      );
      const [row] = (await written()).versions.filter((v) => v.version === version.version);
      expect(row?.signedWith).toBe(device.credentialId);
      await relay.drain();
      const history = (await chain.ledger.consentHistory(subject, { limit: 100 })).consents;
      expect(history).toHaveLength(statement.records.length);
      for (const [i, record] of history.entries()) {
        expect(record.signed_by).toMatchObject({
          key_id: device.credentialId,
          record_digest: consentRecordDigest(statement.records[i]!),
        });
        expect(record.attested_by).toBeUndefined();
      }
    });

    it('refuses a signature over other records or from another origin, writing nothing', async () => {
      const before = await written();
      const run = (tx: Tx, signing: ConsentSigning) =>
        setConsentPreferences(tx, actor, prefs('permit'), signing);
      const statement = await prepareSigningStatement(db.db, run, RP);
      const other = await prepareSigningStatement(
        db.db,
        (tx, signing) => setConsentPreferences(tx, actor, prefs('deny'), signing),
        RP,
      );
      const attempts = [
        device.assert(Buffer.from('another statement').toString('base64url')),
        device.assert(statement.challenge!, { origin: 'https://evil.example' }),
        new SoftAuthenticator(RP).assert(statement.challenge!),
      ];
      expect(other.challenge).toBeNull(); // "deny" is the current state: nothing to record
      for (const response of attempts) {
        await expect(
          db.db.transaction((tx) =>
            setConsentPreferences(tx, actor, prefs('permit'), {
              kind: 'signed',
              rp: RP,
              time: statement.time,
              response,
            }),
          ),
        ).rejects.toThrow(/passkey signature was not accepted/);
        expect(await written()).toEqual(before);
      }
    });

    it('an operator writing a consent row with a forged signature straight into the database gets it refused by the contract; the row stays marked not on chain, with the reason', async () => {
      const headBefore = await chain.ledger.head();
      const stranger = new SoftAuthenticator(RP);
      // What an operator with database access can do: a new version claiming the participant signed.
      const forged: ConsentItem = {
        event_id: 'pref:forged-by-operator',
        subject,
        scope: 'purpose:COMMERCIAL',
        decision: 'permit',
        version: 99,
        evidence: consentRecordDigest({
          event_id: 'x',
          subject,
          scope: 's',
          decision: 'permit',
          version: 1,
          evidence: '0'.repeat(64),
          time: '1',
        }),
        time: String(Math.floor(Date.now() / 1000)),
      };
      const claimed = stranger.assert(
        Buffer.from(consentRecordDigest(forged), 'hex').toString('base64url'),
      );
      await db.db.insert(consentPreferences).values({
        participantId,
        version: 99,
        purposes: { ...prefs('permit').purposes },
        askEachTime: false,
        discoverable: true,
        recontact: false,
        signedWith: device.credentialId,
      });
      await db.db.insert(chainOutbox).values({
        kind: 'consent',
        eventId: forged.event_id,
        item: {
          ...forged,
          proof: {
            passkey: {
              assertion: {
                // The participant's real key id, a signature by someone else's key.
                key_id: device.credentialId,
                authenticator_data: claimed.response.authenticatorData,
                client_data_json: claimed.response.clientDataJSON,
                // Well-formed (low-S DER), so the refusal is the verification itself.
                signature: normalizeDerSignature(claimed.response.signature),
              },
            },
          },
        },
      });
      await relay.drain();
      const [row] = await db.db
        .select()
        .from(chainOutbox)
        .where(eq(chainOutbox.eventId, forged.event_id));
      expect(row?.status).toBe('failed');
      expect(row?.confirmedAt).toBeNull();
      expect(row?.lastError).toMatch(/assertion refused: the signature does not verify/);
      expect(await chain.ledger.event(forged.event_id)).toBeNull();
      // The participant sees that this "decision" was not recorded, and why; their own signed
      // versions are on chain.
      const { history } = await db.db.transaction((tx) => getMyConsent(tx, actor));
      expect(history.find((v) => v.version === 99)?.chain).toMatchObject({
        state: 'not_recorded',
        reason: expect.stringMatching(/signature does not verify/),
      });
      expect(
        history.filter((v) => v.signedWith && v.version !== 99).map((v) => v.chain?.state),
      ).toEqual(['on_chain']);
      expect((await chain.ledger.head()).consents).toBe(headBefore.consents);
    });

    it('an operator relaying an unsigned record for a passkey holder, straight from the database, gets it refused by the contract', async () => {
      const headBefore = await chain.ledger.head();
      // No proof at all: the writer's word, which the contract took for anyone before.
      const unsigned: ConsentItem = {
        event_id: 'pref:unsigned-by-operator',
        subject,
        scope: 'purpose:GRU',
        decision: 'permit',
        version: 100,
        format: 2,
        evidence: '1'.repeat(64),
        time: String(Math.floor(Date.now() / 1000)),
      };
      await db.db.insert(chainOutbox).values({
        kind: 'consent',
        eventId: unsigned.event_id,
        item: unsigned,
      });
      await relay.drain();
      const [row] = await db.db
        .select()
        .from(chainOutbox)
        .where(eq(chainOutbox.eventId, unsigned.event_id));
      expect(row?.status).toBe('failed');
      expect(row?.lastError).toMatch(/active passkey: the record must be signed by it/);
      expect(await chain.ledger.event(unsigned.event_id)).toBeNull();
      expect((await chain.ledger.head()).consents).toBe(headBefore.consents);
    });

    it('the participant’s downloadable bundle verifies offline; a changed decision or signature in it fails', async () => {
      const bundle = await signedConsentBundle(db.db, chain.ledger, subject);
      expect(bundle.relyingParty).toEqual(RP);
      const verdicts = verifyConsentBundle(bundle);
      expect(verdicts.filter((v) => v.status === 'signed').length).toBeGreaterThan(0);
      expect(verdicts.filter((v) => v.status === 'signature-invalid')).toEqual([]);
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consent-bundle-'));
      try {
        const file = path.join(dir, 'signed-consent.json');
        const lines: string[] = [];
        fs.writeFileSync(file, JSON.stringify(bundle));
        expect(await verifyConsentFile(file, (l) => lines.push(l))).toBe(0);
        expect(lines.at(-1)).toMatch(
          /signed by the participant, \d+ recorded by the institution, 0 with a signature that fails/,
        );

        // Someone edits the decision of a signed record: its digest no longer matches.
        const edited = structuredClone(bundle);
        const target = edited.records.find((r) => r.signed_by)!;
        target.record.decision = target.record.decision === 'permit' ? 'deny' : 'permit';
        fs.writeFileSync(file, JSON.stringify(edited));
        expect(await verifyConsentFile(file, () => undefined)).toBe(2);
        expect(
          verifyConsentBundle(edited).find((v) => v.eventId === target.record.event_id),
        ).toMatchObject({
          status: 'signature-invalid',
          detail: 'the record differs from the digest that was signed',
        });

        // Or swaps in a signature by another key.
        const forged = structuredClone(bundle);
        const signed = forged.records.find((r) => r.assertion)!;
        const other = new SoftAuthenticator(RP).assert(Buffer.from('x').toString('base64url'));
        signed.assertion!.signature = normalizeDerSignature(other.response.signature);
        fs.writeFileSync(file, JSON.stringify(forged));
        expect(await verifyConsentFile(file, () => undefined)).toBe(2);

        fs.writeFileSync(file, JSON.stringify({ format: 'something else' }));
        expect(await verifyConsentFile(file, () => undefined)).toBe(1);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('consent verify checks every record against the chain: signed ones verify, a tampered assertion fails, refused ones show as not on chain', async () => {
      const verdicts = await verifyConsentOnChain(db.db, chain.ledger, subject);
      const by = (status: string) => verdicts.filter((v) => v.status === status);
      expect(by('signed').length).toBeGreaterThan(0);
      expect(by('signature-invalid')).toEqual([]);
      expect(by('not-on-chain')).toMatchObject([
        { eventId: 'pref:forged-by-operator', detail: expect.stringMatching(/not recorded/) },
        { eventId: 'pref:unsigned-by-operator', detail: expect.stringMatching(/not recorded/) },
      ]);
      // An operator rewrites the assertion kept in the database: verification catches it,
      // because the key comes from the chain.
      const target = by('signed')[0]!;
      const [row] = await db.db
        .select()
        .from(chainOutbox)
        .where(eq(chainOutbox.eventId, target.eventId));
      const item = row!.item as ConsentItem;
      const proof = item.proof as { passkey: { assertion: { signature: string } } };
      const other = new SoftAuthenticator(RP).assert(Buffer.from('x').toString('base64url'));
      proof.passkey.assertion.signature = normalizeDerSignature(other.response.signature);
      await db.db.update(chainOutbox).set({ item }).where(eq(chainOutbox.eventId, target.eventId));
      const after = await verifyConsentOnChain(db.db, chain.ledger, subject);
      expect(after.find((v) => v.eventId === target.eventId)).toMatchObject({
        status: 'signature-invalid',
        detail: 'the signature does not verify with the key on chain',
      });
    });

    it('staff who checked the participant’s identity reset lost passkeys: removed on chain by the institution with the witness, the participant told, a new first key accepted', async () => {
      const steward: UserActor = {
        kind: 'user',
        userId: randomUUID(),
        role: 'steward',
        sessionId: null,
      };
      // A participant may not reset their own keys this way (that needs a passkey signature).
      await expect(
        db.db.transaction((tx) =>
          resetParticipantPasskeys(tx, actor, {
            participantId,
            identityCheck: 'in_person_photo_id',
          }),
        ),
      ).rejects.toThrow(/steward/);
      const reset = await db.db.transaction((tx) =>
        resetParticipantPasskeys(tx, steward, {
          participantId,
          identityCheck: 'in_person_photo_id',
        }),
      );
      expect(reset).toMatchObject({ removed: 1, witness: `steward:${steward.userId}` });
      expect(await db.db.transaction((tx) => listPasskeys(tx, actor))).toEqual([]);
      await relay.drain();
      const [removed] = (await chain.ledger.passkeys(subject)).passkeys;
      expect(removed).toMatchObject({
        key_id: device.credentialId,
        removed: { by: 'institution', witness: `steward:${steward.userId}` },
      });
      // Nothing left to reset: refused, nothing written.
      await expect(
        db.db.transaction((tx) =>
          resetParticipantPasskeys(tx, steward, {
            participantId,
            identityCheck: 'known_clinician',
          }),
        ),
      ).rejects.toThrow(/no passkey to reset/);
      // The participant adds a new first key; the chain records it as added by the institution.
      const replacement = new SoftAuthenticator(RP);
      const options = await db.db.transaction((tx) => passkeyRegistrationOptions(tx, actor, RP));
      await db.db.transaction((tx) =>
        addPasskey(tx, actor, RP, {
          response: replacement.register(options.challenge),
          name: 'New phone',
        }),
      );
      await relay.drain();
      const keys = (await chain.ledger.passkeys(subject)).passkeys;
      expect(keys.find((k) => k.key_id === replacement.credentialId)).toMatchObject({
        added_by: 'institution',
      });
      const told = await db.db
        .select()
        .from(notifications)
        .where(eq(notifications.kind, 'passkeys_reset'));
      expect(told).toHaveLength(1);
    });
  });
}
