import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SigningConsentLedger } from '../consent-ledger.js';
import { consentRecordDigest, consentRecordJson, signedStatement } from '../consent-record.js';
import { ChainError } from '../errors.js';
import type { Assertion, ConsentItem } from '../messages.js';
import type { SuiteChain } from './contract-suite.js';
import { consentItems, hex64 } from './fixtures.js';
import { SoftPasskey, TEST_RP } from './soft-passkey.js';
import type { AssertionOptions } from './soft-passkey.js';

/**
 * Participant-signed consent on the contract, on whichever chain `open` gives (the embedded
 * chain verifies P-256 with @noble/curves, wasmd with wasmvm): registration of passkeys, signed
 * and institution-attested records, and every attack of issue #13, each leaving nothing recorded.
 */
export function defineSigningSuite(label: string, open: () => Promise<SuiteChain>): void {
  describe(`participant-signed consent on the ${label}`, () => {
    let env: SuiteChain;
    let codeId: number;

    beforeAll(async () => {
      env = await open();
      codeId = (await env.backend.upload(env.sender, env.wasm)).codeId;
    });
    afterAll(async () => {
      await env?.teardown();
    });

    async function deploy(webauthn: boolean = true): Promise<SigningConsentLedger> {
      const msg = webauthn
        ? { admin: env.sender, writers: [env.sender], webauthn: { ...TEST_RP } }
        : { admin: env.sender, writers: [env.sender] };
      const { contractAddress } = await env.backend.instantiate(
        env.sender,
        codeId,
        msg,
        'signing-suite',
        env.sender,
      );
      return new SigningConsentLedger(env.backend, contractAddress, env.sender);
    }

    /** A subject with one passkey registered by the institution at enrolment. */
    async function enrolled(ledger: SigningConsentLedger, name: string) {
      const subject = hex64(`subject-${name}`);
      const key = new SoftPasskey();
      await ledger.registerPasskey(subject, key.keyId, key.publicKeyHex, {
        institution: { witness: 'enrolment' },
      });
      return { subject, key };
    }

    function record(subject: string, n: number, overrides: Partial<ConsentItem> = {}): ConsentItem {
      return consentItems(`sig-${subject.slice(0, 6)}`, n, 1, {
        subject,
        version: n,
        ...overrides,
      })[0]!;
    }

    function signed(item: ConsentItem, key: SoftPasskey, options?: AssertionOptions): ConsentItem {
      const { challenge } = signedStatement([item]);
      return { ...item, proof: { passkey: { assertion: key.assert(challenge, options) } } };
    }

    /** Head, counts and the subject's keys and history: what "nothing recorded" compares. */
    async function snapshot(ledger: SigningConsentLedger, subject: string) {
      const [head, keys, history] = await Promise.all([
        ledger.head(),
        ledger.passkeys(subject),
        ledger.consentHistory(subject),
      ]);
      return { head, keys, history };
    }

    async function refusedLeavingNothing(
      ledger: SigningConsentLedger,
      subject: string,
      action: () => Promise<unknown>,
      message: RegExp,
    ): Promise<void> {
      const before = await snapshot(ledger, subject);
      const err = await action().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ChainError);
      expect((err as ChainError).message).toMatch(message);
      expect((err as ChainError).retryable).toBe(false);
      expect(await snapshot(ledger, subject)).toEqual(before);
    }

    it('computes the same record digest as contracts-client (the contract, this adapter, the server)', async () => {
      const ledger = await deploy();
      const item = record(hex64('digest'), 1, { scope: 'purpose:GRU', version: 7 });
      const answer = await ledger.recordDigest(item);
      expect(answer.record).toBe(consentRecordJson(item));
      expect(answer.digest).toBe(consentRecordDigest(item));
      // The proof is not part of the record.
      const withProof: ConsentItem = { ...item, proof: { institution: { witness: 'staff-1' } } };
      expect((await ledger.recordDigest(withProof)).digest).toBe(answer.digest);
    });

    it('stores participant-signed and institution-attested records, marked as such', async () => {
      const ledger = await deploy();
      const { subject, key } = await enrolled(ledger, 'marks');
      const [keyRecord] = (await ledger.passkeys(subject)).passkeys;
      expect(keyRecord).toMatchObject({
        key_id: key.keyId,
        public_key: key.publicKeyHex,
        added_by: 'institution',
        witness: 'enrolment',
      });
      // Real authenticators return high-S signatures half the time; the contract takes low-S.
      const a = signed(record(subject, 1), key, { highS: false });
      const b = record(subject, 2, {
        scope: 'study:s-1',
        proof: { institution: { witness: 'nurse-7' } },
      });
      await ledger.recordConsents([a, b]);
      const history = (await ledger.consentHistory(subject)).consents;
      expect(history.map((r) => [r.signed_by, r.attested_by])).toEqual([
        [{ key_id: key.keyId, counter: 1, record_digest: consentRecordDigest(a) }, undefined],
        [undefined, { writer: env.sender, witness: 'nurse-7' }],
      ]);
      expect((await ledger.passkeys(subject)).passkeys[0]!.counter).toBe(1);
      // A subject without keys is still recorded on the writer's word, marked as such.
      const keyless = hex64('subject-keyless');
      await ledger.recordConsents([record(keyless, 1, { scope: 'discovery' })]);
      expect((await ledger.consentHistory(keyless)).consents[0]!.attested_by).toEqual({
        writer: env.sender,
      });
    });

    it("refuses a passkey holder's record on the writer's word alone (the operator's forgery)", async () => {
      const ledger = await deploy();
      const { subject } = await enrolled(ledger, 'operator');
      await refusedLeavingNothing(
        ledger,
        subject,
        () => ledger.recordConsents([record(subject, 1, { scope: 'purpose:GRU' })]),
        /active passkey: the record must be signed by it, or recorded by the institution with a witness/,
      );
    });

    it('stores format-2 records with ask as itself, and refuses scopes the format does not know', async () => {
      const ledger = await deploy();
      const subject = hex64('subject-format');
      const ask = record(subject, 1, { scope: 'purpose:HMB', decision: 'ask', format: 2 });
      await ledger.recordConsents([ask]);
      const [stored] = (await ledger.consentHistory(subject)).consents;
      expect(stored).toMatchObject({ decision: 'ask', format: 2, scope: 'purpose:HMB' });
      // The signed digest covers the format, on the chain as here.
      expect((await ledger.recordDigest(ask)).digest).toBe(consentRecordDigest(ask));
      expect(consentRecordDigest(ask)).not.toBe(consentRecordDigest({ ...ask, format: undefined }));
      await refusedLeavingNothing(
        ledger,
        subject,
        () =>
          ledger.recordConsents([
            record(subject, 2, { scope: 'study:s-1', decision: 'ask', format: 2 }),
          ]),
        /only for purposes/,
      );
      await refusedLeavingNothing(
        ledger,
        subject,
        () =>
          ledger.recordConsents([record(subject, 2, { scope: 'purpose:HMB', decision: 'ask' })]),
        /needs record format 2/,
      );
    });

    it('lets one assertion sign one decision over several scopes (covers)', async () => {
      const ledger = await deploy();
      const { subject, key } = await enrolled(ledger, 'covers');
      const items = [
        record(subject, 1, { scope: 'purpose:GRU' }),
        record(subject, 2, { scope: 'purpose:HMB' }),
      ];
      const { challenge, covers } = signedStatement(items);
      const assertion = key.assert(challenge, { highS: false });
      const proof = { passkey: { assertion, covers } };
      // Sent in two messages, as the relay may split them.
      await ledger.recordConsents([{ ...items[0]!, proof }]);
      await ledger.recordConsents([{ ...items[1]!, proof }]);
      expect(
        (await ledger.consentHistory(subject)).consents.map((r) => r.signed_by?.counter),
      ).toEqual([1, 1]);
      // The same covers cannot carry a record it does not list.
      await refusedLeavingNothing(
        ledger,
        subject,
        () => ledger.recordConsents([{ ...record(subject, 3, { scope: 'purpose:DS' }), proof }]),
        /covers does not include/,
      );
    });

    it('adds a key only with a signature by an existing one, and removes keys visibly', async () => {
      const ledger = await deploy();
      const { subject, key } = await enrolled(ledger, 'keys');
      const second = new SoftPasskey();
      await refusedLeavingNothing(
        ledger,
        subject,
        () =>
          ledger.registerPasskey(subject, second.keyId, second.publicKeyHex, {
            institution: { witness: 'operator' },
          }),
        /active passkeys/,
      );
      const stranger = new SoftPasskey();
      const challenge = (await import('../consent-record.js')).keyChangeChallenge(
        'register_passkey',
        subject,
        second.keyId,
        second.publicKeyHex,
      );
      await refusedLeavingNothing(
        ledger,
        subject,
        () =>
          ledger.registerPasskey(subject, second.keyId, second.publicKeyHex, {
            passkey: stranger.assert(challenge),
          }),
        /not registered for this subject/,
      );
      await ledger.registerPasskey(subject, second.keyId, second.publicKeyHex, {
        passkey: key.assert(challenge, { highS: false }),
      });
      const { keyChangeChallenge } = await import('../consent-record.js');
      await ledger.removePasskey(subject, key.keyId, {
        passkey: second.assert(keyChangeChallenge('remove_passkey', subject, key.keyId), {
          highS: false,
        }),
      });
      const keys = (await ledger.passkeys(subject)).passkeys;
      const removed = keys.find((k) => k.key_id === key.keyId)!;
      expect(removed.removed?.by).toBe(`passkey:${second.keyId}`);
      expect(keys.find((k) => k.key_id === second.keyId)?.added_by).toBe(`passkey:${key.keyId}`);
      // A removed key signs nothing any more.
      await refusedLeavingNothing(
        ledger,
        subject,
        () => ledger.recordConsents([signed(record(subject, 9), key, { highS: false })]),
        /was removed/,
      );
    });

    it('refuses every forged, replayed or malformed signature and records nothing', async () => {
      const ledger = await deploy();
      const { subject, key } = await enrolled(ledger, 'attacks');
      const other = await enrolled(ledger, 'attacks-other');
      await ledger.recordConsents([signed(record(subject, 1), key, { highS: false, counter: 5 })]);
      const next = record(subject, 2);
      const { challenge } = signedStatement([next]);
      const lowS = { highS: false } as const;
      const send =
        (assertion: Assertion, item: ConsentItem = next) =>
        () =>
          ledger.recordConsents([{ ...item, proof: { passkey: { assertion } } }]);
      const attacks: [string, () => Promise<unknown>, RegExp][] = [
        [
          'a signature over another record',
          send(key.assert(signedStatement([record(subject, 3)]).challenge, lowS)),
          /challenge is not the digest/,
        ],
        ['a replayed counter', send(key.assert(challenge, { ...lowS, counter: 5 })), /replayed/],
        ['a counter going back', send(key.assert(challenge, { ...lowS, counter: 4 })), /replayed/],
        [
          'a wrong origin',
          send(key.assert(challenge, { ...lowS, origin: 'https://evil.example' })),
          /origin/,
        ],
        [
          'a wrong RP id',
          send(key.assert(challenge, { ...lowS, rpId: 'evil.example' })),
          /rpIdHash/,
        ],
        [
          'the user-presence flag cleared',
          send(key.assert(challenge, { ...lowS, flags: 0x04 })),
          /user-presence/,
        ],
        [
          'a registration type',
          send(key.assert(challenge, { ...lowS, type: 'webauthn.create' })),
          /type/,
        ],
        [
          "another participant's key",
          send({ ...other.key.assert(challenge, lowS), key_id: other.key.keyId }),
          /not registered for this subject/,
        ],
        [
          'a signature by another key under this key id',
          send({ ...other.key.assert(challenge, lowS), key_id: key.keyId }),
          /does not verify/,
        ],
        [
          'a key never registered',
          send(new SoftPasskey().assert(challenge, lowS)),
          /not registered/,
        ],
        [
          'a truncated clientDataJSON',
          send(
            key.assert(challenge, { ...lowS, clientDataJson: (j) => Buffer.from(j.slice(0, 30)) }),
          ),
          /JSON/,
        ],
        [
          'a non-JSON clientDataJSON',
          send(key.assert(challenge, { ...lowS, clientDataJson: () => Buffer.from('hello') })),
          /JSON/,
        ],
        ['a high-S signature', send(key.assert(challenge, { highS: true })), /high S/],
        [
          'a DER signature with a trailing byte',
          send({
            ...key.assert(challenge, lowS),
            signature: Buffer.concat([
              Buffer.from(key.assert(challenge, lowS).signature, 'base64url'),
              Buffer.from([0]),
            ]).toString('base64url'),
          }),
          /strict DER/,
        ],
      ];
      for (const [what, action, message] of attacks) {
        await refusedLeavingNothing(ledger, subject, action, message).catch((e: unknown) => {
          throw new Error(`${what}: ${String(e)}`);
        });
      }
      // The genuine assertion still works afterwards: none of the attempts moved the counter.
      await send(key.assert(challenge, { ...lowS, counter: 6 }))();
      expect((await ledger.consent(subject, next.scope))?.signed_by?.counter).toBe(6);
    });

    it('refuses signed records while no relying party is configured', async () => {
      const ledger = await deploy(false);
      const { subject, key } = await enrolled(ledger, 'no-rp');
      await refusedLeavingNothing(
        ledger,
        subject,
        () => ledger.recordConsents([signed(record(subject, 1), key, { highS: false })]),
        /no WebAuthn relying party/,
      );
      await ledger.setWebauthn({ ...TEST_RP });
      await ledger.recordConsents([signed(record(subject, 1), key, { highS: false })]);
    });
  });
}
