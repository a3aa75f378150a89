import { describe, expect, it } from 'vitest';
import { signedStatement } from './consent-record.js';
import { consentItems } from './test-support/fixtures.js';
import { SoftPasskey, TEST_RP } from './test-support/soft-passkey.js';
import { verifySignedRecord } from './verify-signed-record.js';

describe('verifySignedRecord (off-chain check of a participant signature)', () => {
  const key = new SoftPasskey();
  const [a, b] = consentItems('v', 0, 2);

  it('accepts a genuine signature, alone or among covers', () => {
    const single = key.assert(signedStatement([a!]).challenge, { highS: false });
    expect(verifySignedRecord(a!, single, key.publicKeyHex, TEST_RP)).toMatchObject({ ok: true });
    const { challenge, covers } = signedStatement([a!, b!]);
    const both = key.assert(challenge, { highS: false });
    expect(verifySignedRecord(b!, both, key.publicKeyHex, TEST_RP, covers)).toMatchObject({
      ok: true,
    });
  });

  it('refuses another record, another key, another origin, a high S', () => {
    const single = key.assert(signedStatement([a!]).challenge, { highS: false });
    expect(verifySignedRecord(b!, single, key.publicKeyHex, TEST_RP)).toMatchObject({
      ok: false,
      reason: 'the challenge is not the digest of this record',
    });
    expect(verifySignedRecord(a!, single, new SoftPasskey().publicKeyHex, TEST_RP)).toMatchObject({
      ok: false,
      reason: 'the signature does not verify with the key on chain',
    });
    const elsewhere = key.assert(signedStatement([a!]).challenge, {
      highS: false,
      origin: 'https://evil.example',
    });
    expect(verifySignedRecord(a!, elsewhere, key.publicKeyHex, TEST_RP).ok).toBe(false);
    const high = key.assert(signedStatement([a!]).challenge, { highS: true });
    expect(verifySignedRecord(a!, high, key.publicKeyHex, TEST_RP)).toMatchObject({
      ok: false,
      reason: 'the signature has a high S',
    });
  });
});
