import {
  rejection,
  verifiedTokenFacts,
  verifySignedToken,
  type VerifiedTokenFacts,
  type Rejection,
  type VerificationKeys,
  type VerifyOptions,
} from './verify-token.js';
import { visaObjectSchema, type VisaObject, type VisaType } from './visa-claims.js';

/** The longest visa accepted: ample for conditions, small enough to bound the work. */
export const MAX_VISA_LENGTH = 16_384;

/** What a caller expects of a visa. */
export interface VerifyVisaOptions extends VerifyOptions {
  /** Accept only this visa type (e.g. ControlledAccessGrants when checking a grant). */
  type?: VisaType;
}

/** A visa that verified: its identity, validity window and `ga4gh_visa_v1` object. */
export interface VerifiedVisa extends VerifiedTokenFacts {
  visa: VisaObject;
}

/** The outcome of verifying a visa. */
export type VisaVerification = { ok: true; visa: VerifiedVisa } | Rejection;

/**
 * Verifies a visa signed by us: ES256 with one of our keys, our `iss` and `jku`, within its
 * validity window, the audience rules of VerifyOptions, and a well-formed `ga4gh_visa_v1` of a
 * type we issue. Never throws for a bad token. A lone visa's `conditions` are returned, not
 * evaluated (they refer to other visas): use verifyPassport, or conditionsMet, before relying on
 * a visa that has them.
 */
export async function verifyVisa(
  keys: VerificationKeys,
  token: unknown,
  options: VerifyVisaOptions,
): Promise<VisaVerification> {
  const checked = await verifySignedToken(
    keys,
    token,
    { label: 'visa', typ: 'JWT', jku: 'required', maxLength: MAX_VISA_LENGTH },
    options,
  );
  if (!checked.ok) return checked;
  const reject = (message: string) => rejection('visa', 'claims', message);
  const { payload } = checked;
  const { scope, ga4gh_visa_v1: visaClaim } = payload;
  if (scope !== undefined && typeof scope !== 'string') return reject('scope must be a string');
  // A Visa Document Token must not pose as an OIDC access token (AAI).
  if (scope?.split(' ').includes('openid'))
    return reject('a visa document token must not have the openid scope');
  if (visaClaim === undefined) return reject('no ga4gh_visa_v1 claim');
  const visa = visaObjectSchema.safeParse(visaClaim);
  if (!visa.success) {
    const why = visa.error.issues.map(
      (i) => `${['ga4gh_visa_v1', ...i.path].join('.')}: ${i.message}`,
    );
    return reject(why.join('; '));
  }
  if (options.type && visa.data.type !== options.type)
    return reject(`type ${visa.data.type} is not ${options.type}`);
  if (visa.data.asserted > payload.iat) return reject('asserted after the visa was issued');
  return {
    ok: true,
    visa: { ...verifiedTokenFacts(token as string, checked), visa: visa.data },
  };
}
