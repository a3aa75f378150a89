import {
  createLocalJWKSet,
  decodeProtectedHeader,
  errors,
  jwtVerify,
  type JSONWebKeySet,
  type JWTPayload,
  type ProtectedHeaderParameters,
} from 'jose';
import type { Queryable } from '../../../db/database.js';
import { jwksUrl } from './jwks-url.js';
import { SIGNING_ALG, publicJwks } from './signing-key.js';

/** Why a visa or passport was refused. */
export type RejectionReason =
  'expired' | 'signature' | 'issuer' | 'audience' | 'algorithm' | 'malformed' | 'claims';

/** A refused token: a machine-readable reason and a message for logs and error responses. */
export interface Rejection {
  ok: false;
  reason: RejectionReason;
  message: string;
}

/** Our keys: read from the database, or a JWKS already in hand (e.g. fetched from our endpoint). */
export type VerificationKeys = Queryable | JSONWebKeySet;

/** What a caller expects of a token. */
export interface VerifyOptions {
  /** Our issuer URL: the only `iss` accepted. */
  issuer: string;
  /** Our audience (e.g. this clearinghouse's URL). When given, the token's `aud` must include it. */
  audience?: string;
  /**
   * Whether a token without `aud` is refused when `audience` is given (default true). A token that
   * carries an `aud` must always include `audience`: an audience-restricted token is never
   * accepted by a verifier that did not say who it is.
   */
  audienceRequired?: boolean;
  /** The verification time; defaults to now. */
  now?: Date;
  /** Allowed clock skew between our instances, in seconds (default 30). */
  clockToleranceSeconds?: number;
}

/** How one kind of token is framed. */
export interface TokenShape {
  label: 'visa' | 'passport';
  typ: string;
  /** Visa Document Tokens must name our JWKS in `jku`; passports may omit it. */
  jku: 'required' | 'optional';
  maxLength: number;
}

/** The standard claims of a verified token, all checked. */
export interface VerifiedClaims extends JWTPayload {
  iss: string;
  sub: string;
  iat: number;
  exp: number;
  jti: string;
}

/** A token whose framing, signature, issuer, audience and validity window all checked out. */
export interface VerifiedToken {
  ok: true;
  header: ProtectedHeaderParameters;
  payload: VerifiedClaims;
  keyId: string;
  audience: string[];
}

/** What callers keep of a verified token: its text, standard claims, key id and audience. */
export interface VerifiedTokenFacts {
  token: string;
  issuer: string;
  subject: string;
  /** Unix seconds. */
  issuedAt: number;
  /** Unix seconds. */
  expiresAt: number;
  jti: string;
  keyId: string;
  /** Empty when the token names no audience. */
  audience: string[];
}

/** The facts of a token that `verifySignedToken` accepted. */
export function verifiedTokenFacts(token: string, checked: VerifiedToken): VerifiedTokenFacts {
  const { payload } = checked;
  return {
    token,
    issuer: payload.iss,
    subject: payload.sub,
    issuedAt: payload.iat,
    expiresAt: payload.exp,
    jti: payload.jti,
    keyId: checked.keyId,
    audience: checked.audience,
  };
}

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const DEFAULT_CLOCK_TOLERANCE_SECONDS = 30;

/** A rejection with a message that names the kind of token. */
export function rejection(label: string, reason: RejectionReason, message: string): Rejection {
  return { ok: false, reason, message: `${label} rejected: ${message}` };
}

/** Our public JWKS from the database, or the key set given. */
export async function resolveKeys(keys: VerificationKeys): Promise<JSONWebKeySet> {
  return isKeySet(keys) ? keys : publicJwks(keys);
}

/**
 * Verifies framing, signature and standard claims of a compact JWS against our keys only (no
 * network, ES256 only). Never throws for a bad token; throws only when the key set itself is
 * unusable, which is a configuration error rather than a bad token.
 */
export async function verifySignedToken(
  keys: VerificationKeys,
  token: unknown,
  shape: TokenShape,
  options: VerifyOptions,
): Promise<VerifiedToken | Rejection> {
  const reject = (reason: RejectionReason, message: string) =>
    rejection(shape.label, reason, message);
  if (typeof token !== 'string' || !COMPACT_JWS.test(token))
    return reject('malformed', 'not a compact JWS (three base64url parts)');
  if (token.length > shape.maxLength)
    return reject('malformed', `longer than ${shape.maxLength} characters`);
  let header: ProtectedHeaderParameters;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    return reject('malformed', 'header is not base64url-encoded JSON');
  }
  // Checked before any key is touched: `none` and HMAC-with-our-public-key are refused here.
  if (header.alg !== SIGNING_ALG)
    return reject('algorithm', `alg ${JSON.stringify(header.alg)} is not accepted (only ES256)`);
  if (normalizeTyp(header.typ) !== normalizeTyp(shape.typ))
    return reject('malformed', `typ ${JSON.stringify(header.typ)} is not "${shape.typ}"`);
  if (typeof header.kid !== 'string' || header.kid === '')
    return reject('signature', 'no key id (kid) in the header');
  const expectedJku = jwksUrl(options.issuer);
  if (header.jku === undefined) {
    if (shape.jku === 'required') return reject('malformed', 'no jku in the header');
  } else if (header.jku !== expectedJku) {
    return reject('issuer', `jku ${header.jku} is not our key set ${expectedJku}`);
  }

  const now = options.now ?? new Date();
  const tolerance = options.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS;
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, createLocalJWKSet(await resolveKeys(keys)), {
      algorithms: [SIGNING_ALG],
      currentDate: now,
      clockTolerance: tolerance,
      requiredClaims: ['iss', 'sub', 'iat', 'exp', 'jti'],
    }));
  } catch (error) {
    const mapped = joseRejection(error, header.kid);
    if (!mapped) throw error;
    return reject(...mapped);
  }

  const { iss, sub, iat, exp, jti, aud } = payload;
  if (typeof sub !== 'string' || sub === '')
    return reject('claims', 'sub must be a non-empty string');
  if (typeof jti !== 'string' || jti === '')
    return reject('claims', 'jti must be a non-empty string');
  if (typeof iat !== 'number' || typeof exp !== 'number' || exp <= iat)
    return reject('claims', 'exp must come after iat');
  if (iss !== options.issuer)
    return reject('issuer', `iss ${JSON.stringify(iss)} is not ${options.issuer}`);
  const nowSeconds = Math.floor(now.getTime() / 1000);
  if (iat > nowSeconds + tolerance)
    return reject('expired', `not yet valid: issued in the future (${isoTime(iat)})`);
  const audience = aud === undefined ? [] : Array.isArray(aud) ? aud : [aud];
  const problem = audienceProblem(audience, aud !== undefined, options);
  if (problem) return reject('audience', problem);
  return {
    ok: true,
    header,
    payload: { ...payload, iss, sub, iat, exp, jti },
    keyId: header.kid,
    audience,
  };
}

function audienceProblem(
  audience: string[],
  present: boolean,
  { audience: expected, audienceRequired = true }: VerifyOptions,
): string | null {
  if (!present)
    return expected !== undefined && audienceRequired ? `no aud; expected ${expected}` : null;
  if (expected === undefined)
    return `restricted to ${audience.join(', ')} but no audience was expected`;
  return audience.includes(expected)
    ? null
    : `aud ${audience.join(', ')} does not include ${expected}`;
}

function joseRejection(error: unknown, kid: string): [RejectionReason, string] | null {
  if (error instanceof errors.JWTExpired)
    return ['expired', `expired at ${isoTime(error.payload.exp)}`];
  if (error instanceof errors.JWTClaimValidationFailed)
    return error.claim === 'nbf'
      ? ['expired', `not yet valid (nbf ${isoTime(error.payload.nbf)})`]
      : ['claims', error.message];
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return ['signature', 'the signature does not verify'];
  if (error instanceof errors.JWKSNoMatchingKey)
    return ['signature', `signed with a key that is not ours (kid ${kid})`];
  if (error instanceof errors.JWKSMultipleMatchingKeys)
    return ['signature', `key id ${kid} is ambiguous`];
  if (error instanceof errors.JOSEAlgNotAllowed) return ['algorithm', error.message];
  if (
    error instanceof errors.JWSInvalid ||
    error instanceof errors.JWTInvalid ||
    error instanceof errors.JOSENotSupported
  )
    return ['malformed', error.message];
  return null;
}

// RFC 7515 §4.1.9: media types compare case-insensitively and may omit "application/".
function normalizeTyp(typ: unknown): string | undefined {
  if (typeof typ !== 'string') return undefined;
  const lower = typ.toLowerCase();
  return lower.startsWith('application/') ? lower.slice('application/'.length) : lower;
}

function isKeySet(keys: VerificationKeys): keys is JSONWebKeySet {
  return 'keys' in keys && Array.isArray(keys.keys);
}

function isoTime(seconds: unknown): string {
  return typeof seconds === 'number' ? new Date(seconds * 1000).toISOString() : String(seconds);
}
