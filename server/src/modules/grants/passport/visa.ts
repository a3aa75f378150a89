import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { Queryable } from '../../../db/database.js';
import { jwksUrl } from './jwks-url.js';
import { SIGNING_ALG, signingKey } from './signing-key.js';
import { unixSeconds } from './unix-time.js';
import {
  REGISTERED_ACCESS_URL,
  isHttpUrl,
  visaObjectSchema,
  type VisaConditions,
  type VisaObject,
} from './visa-claims.js';

/** What every visa needs: whose it is, who signs it, and its validity. */
export interface VisaIssue {
  /** Our user id: the `sub` of the visa identity {iss, sub}. */
  subject: string;
  /** Our issuer URL (`iss`); the visa's `jku` is its JWKS URL. */
  issuer: string;
  /** When the source made the assertion (unix seconds or a Date), e.g. the board's decision. */
  asserted: number | Date;
  /** The visa's `exp` (unix seconds or a Date), e.g. the grant expiry. */
  expiresAt: number | Date;
  /** The signing time (`iat`); defaults to now. */
  now?: Date;
  /**
   * Who may accept the visa (`aud`), e.g. another member's Beacon for a federated query; none
   * for visas any clearinghouse may read.
   */
  audience?: string;
}

/** A ControlledAccessGrants visa: access to one dataset or study, granted by a DAC. */
export interface ControlledAccessVisaInput extends VisaIssue {
  /** The dataset or study URL, e.g. `https://consentome.example/studies/<studyId>`. */
  value: string;
  /** The granting organisation (the ethics board / DAC), as a URL. */
  source: string;
  conditions?: VisaConditions;
}

/** An AffiliationAndRole visa: `<role>@<affiliation>`, e.g. `member@uni-heidelberg.de`. */
export interface AffiliationAndRoleVisaInput extends VisaIssue {
  value: string;
  source: string;
  by: 'so' | 'system';
}

/** A ResearcherStatus visa: bona fide researcher per Registered Access, asserted by a signing official. */
export interface ResearcherStatusVisaInput extends VisaIssue {
  source: string;
}

/** Signs a ControlledAccessGrants visa (`by: dac`). Throws on invalid input (a caller bug). */
export function signControlledAccessVisa(
  db: Queryable,
  input: ControlledAccessVisaInput,
): Promise<string> {
  return signVisa(db, input, {
    type: 'ControlledAccessGrants',
    asserted: unixSeconds(input.asserted),
    value: input.value,
    source: input.source,
    by: 'dac',
    ...(input.conditions ? { conditions: input.conditions } : {}),
  });
}

/** Signs an AffiliationAndRole visa. Throws on invalid input (a caller bug). */
export function signAffiliationAndRoleVisa(
  db: Queryable,
  input: AffiliationAndRoleVisaInput,
): Promise<string> {
  return signVisa(db, input, {
    type: 'AffiliationAndRole',
    asserted: unixSeconds(input.asserted),
    value: input.value,
    source: input.source,
    by: input.by,
  });
}

/** Signs a ResearcherStatus visa for Registered Access (`by: so`). Throws on invalid input. */
export function signResearcherStatusVisa(
  db: Queryable,
  input: ResearcherStatusVisaInput,
): Promise<string> {
  return signVisa(db, input, {
    type: 'ResearcherStatus',
    asserted: unixSeconds(input.asserted),
    value: REGISTERED_ACCESS_URL,
    source: input.source,
    by: 'so',
  });
}

// Visas are Visa Document Tokens (AAI): `typ: JWT`, a `jku` naming our JWKS, no `scope`.
async function signVisa(db: Queryable, issue: VisaIssue, visa: VisaObject): Promise<string> {
  const parsed = visaObjectSchema.safeParse(visa);
  if (!parsed.success) {
    const why = parsed.error.issues.map((i) => `${i.path.join('.') || 'visa'}: ${i.message}`);
    throw new Error(`Invalid ${visa.type} visa: ${why.join('; ')}`);
  }
  if (!issue.subject) throw new Error('A visa needs a subject');
  if (!isHttpUrl(issue.issuer)) throw new Error(`Issuer ${issue.issuer} is not an http(s) URL`);
  const iat = unixSeconds(issue.now ?? new Date());
  const exp = unixSeconds(issue.expiresAt);
  if (exp <= iat) throw new Error('A visa must expire after it is signed');
  if (parsed.data.asserted > iat) throw new Error('A visa cannot assert something in the future');
  const key = await signingKey(db);
  const jwt = new SignJWT({ ga4gh_visa_v1: parsed.data });
  if (issue.audience) jwt.setAudience(issue.audience);
  return jwt
    .setProtectedHeader({ alg: SIGNING_ALG, typ: 'JWT', kid: key.kid, jku: jwksUrl(issue.issuer) })
    .setIssuer(issue.issuer)
    .setSubject(issue.subject)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .setJti(randomUUID())
    .sign(key.privateKey);
}
