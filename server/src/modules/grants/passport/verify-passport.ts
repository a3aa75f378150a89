import { MAX_PASSPORT_VISAS, PASSPORT_TYP } from './passport.js';
import {
  rejection,
  resolveKeys,
  verifiedTokenFacts,
  verifySignedToken,
  type Rejection,
  type RejectionReason,
  type VerificationKeys,
  type VerifyOptions,
} from './verify-token.js';
import { verifyVisa, type VerifiedVisa } from './verify-visa.js';
import { conditionsMet } from './visa-conditions.js';

/** The longest passport accepted (512 KiB): room for many visas, a bound on the work. */
export const MAX_PASSPORT_LENGTH = 524_288;

/** A passport envelope that verified: the same identity and validity fields as a visa. */
export type VerifiedPassport = Omit<VerifiedVisa, 'visa'>;

/** An embedded visa that was refused, by its position in `ga4gh_passport_v1`. */
export interface RejectedVisa {
  index: number;
  reason: RejectionReason;
  message: string;
}

/** The outcome of verifying a passport: the envelope, its valid visas and the refused ones. */
export type PassportVerification =
  | { ok: true; passport: VerifiedPassport; visas: VerifiedVisa[]; rejected: RejectedVisa[] }
  | Rejection;

/**
 * Verifies a passport signed by us (same rules as verifyVisa, `typ` vnd.ga4gh.passport+jwt), then
 * each embedded visa. A bad envelope refuses the whole passport; a bad visa is only set aside,
 * as a clearinghouse ignores visas it cannot use. Visas must belong to the passport's subject
 * (LinkedIdentities are not followed), and a visa with `conditions` is kept only when the other
 * visas of the passport meet them. Never throws for a bad token.
 */
export async function verifyPassport(
  keys: VerificationKeys,
  token: unknown,
  options: VerifyOptions,
): Promise<PassportVerification> {
  // Read the key set once rather than once per visa.
  const jwks = await resolveKeys(keys);
  const checked = await verifySignedToken(
    jwks,
    token,
    { label: 'passport', typ: PASSPORT_TYP, jku: 'optional', maxLength: MAX_PASSPORT_LENGTH },
    options,
  );
  if (!checked.ok) return checked;
  const { payload } = checked;
  const embedded = payload.ga4gh_passport_v1;
  if (!Array.isArray(embedded))
    return rejection('passport', 'claims', 'ga4gh_passport_v1 must be a list of visas');
  if (embedded.length > MAX_PASSPORT_VISAS)
    return rejection('passport', 'claims', `more than ${MAX_PASSPORT_VISAS} visas`);

  const verified: { index: number; visa: VerifiedVisa }[] = [];
  const rejected: RejectedVisa[] = [];
  for (const [index, visaToken] of embedded.entries()) {
    // A visa without `aud` is fine inside a passport; one with `aud` must name our audience.
    const result = await verifyVisa(jwks, visaToken, { ...options, audienceRequired: false });
    if (!result.ok) rejected.push({ index, reason: result.reason, message: result.message });
    else if (result.visa.subject !== payload.sub)
      rejected.push({
        index,
        reason: 'claims',
        message: `visa rejected: subject ${result.visa.subject} is not the passport's subject`,
      });
    else verified.push({ index, visa: result.visa });
  }
  // Conditions are matched against the other valid, unconditional visas: chains of conditional
  // visas are not followed, so a cycle can never make each other's conditions true.
  const unconditional = verified.filter((v) => !v.visa.visa.conditions?.length);
  const visas: VerifiedVisa[] = [];
  for (const { index, visa } of verified) {
    const others = unconditional.filter((u) => u.index !== index).map((u) => u.visa.visa);
    if (conditionsMet(visa.visa.conditions, others)) visas.push(visa);
    else
      rejected.push({
        index,
        reason: 'claims',
        message: 'visa rejected: its conditions are not met by the other visas of the passport',
      });
  }
  rejected.sort((a, b) => a.index - b.index);
  return {
    ok: true,
    passport: verifiedTokenFacts(token as string, checked),
    visas,
    rejected,
  };
}
