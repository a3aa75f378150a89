import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { Queryable } from '../../../db/database.js';
import { SIGNING_ALG, signingKey } from './signing-key.js';
import { isHttpUrl } from './visa-claims.js';

/** The `typ` of a passport JWT (AAI 1.2), so a passport is never mistaken for a visa. */
export const PASSPORT_TYP = 'vnd.ga4gh.passport+jwt';

/** The most visas one passport may carry; more is a bug or an attempt to exhaust the verifier. */
export const MAX_PASSPORT_VISAS = 100;

/** What a passport needs: its holder, its visas and how long it lives. */
export interface PassportInput {
  /** Our issuer URL (`iss`). */
  issuer: string;
  /** Our user id (`sub`); its visas should carry the same subject. */
  subject: string;
  /** Visa JWTs (compact serialisation), ours or other issuers'. */
  visas: string[];
  /** The clearinghouse(s) the passport is for (`aud`). */
  audience?: string | string[];
  /** Lifetime in seconds: passports are short-lived, the visas carry the long expiries. */
  ttlSeconds: number;
  /** The signing time (`iat`); defaults to now. */
  now?: Date;
}

/** Signs a passport: `{ iss, sub, aud?, iat, exp, jti, ga4gh_passport_v1: [visa JWTs] }`. */
export async function signPassport(db: Queryable, input: PassportInput): Promise<string> {
  if (!input.subject) throw new Error('A passport needs a subject');
  if (!isHttpUrl(input.issuer)) throw new Error(`Issuer ${input.issuer} is not an http(s) URL`);
  if (!Number.isInteger(input.ttlSeconds) || input.ttlSeconds <= 0)
    throw new Error('A passport lifetime must be a positive whole number of seconds');
  if (input.visas.length > MAX_PASSPORT_VISAS)
    throw new Error(`A passport carries at most ${MAX_PASSPORT_VISAS} visas`);
  const iat = Math.floor((input.now ?? new Date()).getTime() / 1000);
  const key = await signingKey(db);
  const jwt = new SignJWT({ ga4gh_passport_v1: input.visas })
    .setProtectedHeader({ alg: SIGNING_ALG, typ: PASSPORT_TYP, kid: key.kid })
    .setIssuer(input.issuer)
    .setSubject(input.subject)
    .setIssuedAt(iat)
    .setExpirationTime(iat + input.ttlSeconds)
    .setJti(randomUUID());
  if (input.audience !== undefined) jwt.setAudience(input.audience);
  return jwt.sign(key.privateKey);
}
