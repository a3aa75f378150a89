import { createHash, randomBytes } from 'node:crypto';
import { p256 } from '@noble/curves/nist';
import type { Assertion } from '../messages.js';

/** The relying party the tests configure on their contracts. */
export const TEST_RP = { origin: 'https://consent.example', rp_id: 'consent.example' } as const;

const sha256 = (data: Uint8Array | string): Buffer => createHash('sha256').update(data).digest();

/** What a test may change about an assertion to make it wrong in exactly one way. */
export interface AssertionOptions {
  origin?: string;
  rpId?: string;
  type?: string;
  /** Authenticator flags byte (default 0x05: user present and verified). */
  flags?: number;
  /** Signature counter to report (default: the authenticator's next value). */
  counter?: number;
  /** Replace the clientDataJSON bytes (after the challenge is chosen). */
  clientDataJson?: (json: string) => Uint8Array;
  /** Keep a high S instead of normalising (default: as the authenticator produced it). */
  highS?: boolean;
}

/**
 * A software WebAuthn authenticator holding one P-256 key: it produces real assertions (the same
 * bytes a browser passes on: authenticatorData, clientDataJSON, DER signature) for tests.
 */
export class SoftPasskey {
  readonly keyId: string;
  readonly publicKeyHex: string;
  private readonly secret: Uint8Array;
  private count: number;

  constructor(options: { counter?: number } = {}) {
    this.secret = p256.utils.randomSecretKey();
    this.publicKeyHex = Buffer.from(p256.getPublicKey(this.secret, false)).toString('hex');
    this.keyId = randomBytes(16).toString('base64url');
    this.count = options.counter ?? 1;
  }

  /** Signs `challenge` (raw bytes) as `navigator.credentials.get` would. */
  assert(challenge: Uint8Array, options: AssertionOptions = {}): Assertion {
    const counter = options.counter ?? (this.count === 0 ? 0 : this.count++);
    const authData = Buffer.alloc(37);
    sha256(options.rpId ?? TEST_RP.rp_id).copy(authData, 0);
    authData[32] = options.flags ?? 0x05;
    authData.writeUInt32BE(counter, 33);
    const json = JSON.stringify({
      type: options.type ?? 'webauthn.get',
      challenge: Buffer.from(challenge).toString('base64url'),
      origin: options.origin ?? TEST_RP.origin,
      crossOrigin: false,
    });
    const clientData = options.clientDataJson ? options.clientDataJson(json) : Buffer.from(json);
    const message = Buffer.concat([authData, sha256(clientData)]);
    // lowS: false is what real authenticators do: about half their signatures have a high S.
    let sig: ReturnType<typeof p256.Signature.fromBytes> = p256.sign(sha256(message), this.secret, {
      prehash: false,
      lowS: false,
    });
    if (options.highS !== undefined) {
      const low = sig.hasHighS() ? sig.normalizeS() : sig;
      sig = options.highS ? new p256.Signature(low.r, p256.Point.Fn.ORDER - low.s) : low;
    }
    return {
      key_id: this.keyId,
      authenticator_data: authData.toString('base64url'),
      client_data_json: Buffer.from(clientData).toString('base64url'),
      signature: Buffer.from(sig.toBytes('der')).toString('base64url'),
    };
  }
}
