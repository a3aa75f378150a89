import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { isoCBOR } from '@simplewebauthn/server/helpers';

const sha256 = (data: Uint8Array | string): Buffer => createHash('sha256').update(data).digest();

/**
 * A software WebAuthn authenticator (one ES256 key, "none" attestation) that answers
 * `navigator.credentials.create/get` the way a browser passes it on: real CBOR, real
 * authenticatorData, real DER signatures from Node's crypto (so high-S half of the time, as
 * hardware authenticators do).
 */
export class SoftAuthenticator {
  readonly credentialId = randomBytes(16).toString('base64url');
  private readonly privateKey: KeyObject;
  private readonly cose: Uint8Array;
  private counter = 0;

  constructor(
    private readonly rp: { origin: string; rp_id: string },
    options: { counter?: number } = {},
  ) {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.privateKey = privateKey;
    const jwk = publicKey.export({ format: 'jwk' });
    this.cose = isoCBOR.encode(
      new Map<number, number | Uint8Array>([
        [1, 2], // kty: EC2
        [3, -7], // alg: ES256
        [-1, 1], // crv: P-256
        [-2, Buffer.from(jwk.x!, 'base64url')],
        [-3, Buffer.from(jwk.y!, 'base64url')],
      ]),
    );
    this.counter = options.counter ?? 0;
  }

  private clientData(type: string, challenge: string, origin = this.rp.origin): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
  }

  /** `navigator.credentials.create` for options whose challenge is `challenge` (base64url). */
  register(challenge: string): RegistrationResponseJSON {
    const credId = Buffer.from(this.credentialId, 'base64url');
    const len = Buffer.alloc(2);
    len.writeUInt16BE(credId.length);
    const authData = Buffer.concat([
      sha256(this.rp.rp_id),
      Buffer.from([0x45]), // UP | UV | AT
      Buffer.alloc(4), // counter 0
      Buffer.alloc(16), // AAGUID
      len,
      credId,
      Buffer.from(this.cose),
    ]);
    const attestationObject = isoCBOR.encode(
      new Map<string, unknown>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', new Uint8Array(authData)],
      ]) as never,
    );
    return {
      id: this.credentialId,
      rawId: this.credentialId,
      type: 'public-key',
      response: {
        clientDataJSON: this.clientData('webauthn.create', challenge).toString('base64url'),
        attestationObject: Buffer.from(attestationObject).toString('base64url'),
        transports: ['internal'],
      },
      clientExtensionResults: {},
    };
  }

  /** `navigator.credentials.get` with `challenge` (base64url), signed by this key. */
  assert(challenge: string, options: { origin?: string } = {}): AuthenticationResponseJSON {
    this.counter += 1;
    const authData = Buffer.alloc(37);
    sha256(this.rp.rp_id).copy(authData, 0);
    authData[32] = 0x05; // UP | UV
    authData.writeUInt32BE(this.counter, 33);
    const clientData = this.clientData('webauthn.get', challenge, options.origin);
    const signature = sign(
      'sha256',
      Buffer.concat([authData, sha256(clientData)]),
      this.privateKey,
    );
    return {
      id: this.credentialId,
      rawId: this.credentialId,
      type: 'public-key',
      response: {
        clientDataJSON: clientData.toString('base64url'),
        authenticatorData: authData.toString('base64url'),
        signature: signature.toString('base64url'),
      },
      clientExtensionResults: {},
    };
  }
}
