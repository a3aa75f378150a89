import { cose, decodeCredentialPublicKey } from '@simplewebauthn/server/helpers';
import { ValidationError } from '../../errors/app-errors.js';

/**
 * A COSE EC2 P-256 public key (what WebAuthn registration yields) as the uncompressed SEC1 bytes
 * the contract verifies with (`04 ‖ x ‖ y`), in hex. Anything but ES256 on P-256 is refused.
 */
export function coseToSec1(coseKey: Uint8Array): string {
  const key = decodeCredentialPublicKey(new Uint8Array(coseKey));
  const ec2 = cose.isCOSEPublicKeyEC2(key) ? key : undefined;
  const x = ec2?.get(cose.COSEKEYS.x);
  const y = ec2?.get(cose.COSEKEYS.y);
  const ok =
    ec2 !== undefined &&
    ec2.get(cose.COSEKEYS.alg) === cose.COSEALG.ES256 &&
    ec2.get(cose.COSEKEYS.crv) === cose.COSECRV.P256 &&
    x instanceof Uint8Array &&
    y instanceof Uint8Array &&
    x.length === 32 &&
    y.length === 32;
  if (!ok)
    throw new ValidationError('Only ES256 (P-256) passkeys are supported', [
      { field: 'response', message: 'not an ES256 key' },
    ]);
  return Buffer.concat([Buffer.from([0x04]), x, y]).toString('hex');
}
