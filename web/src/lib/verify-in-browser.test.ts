import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import canonicalize from 'canonicalize';
import { describe, expect, it } from 'vitest';
import { derToRaw, verifyInBrowser, type BrowserBundle } from './verify-in-browser';

const RP = { origin: 'http://localhost:3000', rp_id: 'localhost' };
const sha = (data: string | Buffer) => createHash('sha256').update(data).digest();
const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

/** A software passkey: signs like an authenticator, low-S as the contract requires. */
function passkey() {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = publicKey.export({ format: 'jwk' });
  const raw = Buffer.concat([
    Buffer.from([4]),
    Buffer.from(jwk.x!, 'base64url'),
    Buffer.from(jwk.y!, 'base64url'),
  ]);
  return {
    publicKey: raw.toString('hex'),
    assert(challenge: Buffer, origin = RP.origin) {
      const authData = Buffer.concat([sha(RP.rp_id), Buffer.from([0x05, 0, 0, 0, 1])]);
      const clientData = Buffer.from(
        JSON.stringify({
          type: 'webauthn.get',
          challenge: challenge.toString('base64url'),
          origin,
        }),
      );
      for (;;) {
        const der = sign('sha256', Buffer.concat([authData, sha(clientData)]), privateKey);
        // Retry until S is low (the other half of signatures), as the relay would normalise.
        if (derToRaw(new Uint8Array(der))) {
          return {
            authenticator_data: authData.toString('base64url'),
            client_data_json: clientData.toString('base64url'),
            signature: der.toString('base64url'),
          };
        }
      }
    },
  };
}

function bundleWith(decision: string) {
  const key = passkey();
  const record = {
    event_id: 'pref:1:gru',
    subject: 'a'.repeat(64),
    scope: 'gru',
    decision,
    version: 1,
    evidence: 'b'.repeat(64),
    time: '1764806400',
  };
  const digest = sha(canonicalize(record)!);
  const bundle: BrowserBundle = {
    format: 'consentome-signed-consent/1',
    relyingParty: RP,
    passkeys: [{ key_id: 'key-1', public_key: key.publicKey }],
    records: [
      {
        record,
        signed_by: { key_id: 'key-1', record_digest: digest.toString('hex') },
        assertion: key.assert(digest),
      },
      {
        record: { ...record, event_id: 'pref:0:gru', version: 0 },
        attested_by: { writer: 'wasm1writer' },
      },
    ],
  };
  return { bundle, key, digest };
}

describe('checking signed consent in the browser (WebCrypto)', () => {
  it('verifies a signed record and lists an institution-recorded one as such', async () => {
    const { bundle } = bundleWith('permit');
    expect((await verifyInBrowser(bundle)).map((v) => v.status)).toEqual([
      'verified',
      'institution',
    ]);
  });

  it('fails a record whose decision was changed after signing', async () => {
    const { bundle } = bundleWith('permit');
    bundle.records[0]!.record.decision = 'deny';
    const [verdict] = await verifyInBrowser(bundle);
    expect(verdict).toMatchObject({
      status: 'failed',
      detail: 'the record differs from what was signed',
    });
  });

  it('fails a signature by another key, from another website, or over another record', async () => {
    const { bundle, digest } = bundleWith('permit');
    const other = passkey();
    const byOther = structuredClone(bundle);
    byOther.records[0]!.assertion = other.assert(digest);
    expect((await verifyInBrowser(byOther))[0]!.detail).toBe(
      'the signature does not match your passkey',
    );
    const phished = structuredClone(bundle);
    phished.records[0]!.assertion = bundleWith('permit').key.assert(digest, 'https://evil.example');
    expect((await verifyInBrowser(phished))[0]!.status).toBe('failed');
    const elsewhere = structuredClone(bundle);
    elsewhere.records[0]!.assertion = other.assert(sha('something else'));
    expect((await verifyInBrowser(elsewhere))[0]!.detail).toBe(
      'the signature is over something else',
    );
  });

  it('accepts only strict low-S DER', () => {
    const r = Buffer.alloc(32, 1);
    const sHigh = Buffer.from((N - 5n).toString(16).padStart(64, '0'), 'hex');
    const der = (s: Buffer) =>
      new Uint8Array(
        Buffer.concat([
          Buffer.from([0x30, 4 + 32 + 1 + s.length, 0x02, 32]),
          r,
          Buffer.from([0x02, s.length + 1, 0]),
          s,
        ]),
      );
    expect(derToRaw(der(sHigh))).toBeNull();
    const sLow = Buffer.from('05'.padStart(64, '0'), 'hex');
    const low = derToRaw(der(sLow));
    // A leading zero on a value without its high bit set is not strict DER.
    expect(low).toBeNull();
    const strict = new Uint8Array(
      Buffer.concat([Buffer.from([0x30, 4 + 32 + 1, 0x02, 32]), r, Buffer.from([0x02, 1, 5])]),
    );
    expect(derToRaw(strict)?.length).toBe(64);
    expect(derToRaw(new Uint8Array([...strict, 0]))).toBeNull();
  });
});
