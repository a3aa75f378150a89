import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ROLES } from '../modules/actors/roles.js';

const providerSchema = z
  .object({
    /** Short id used in URLs and the database, e.g. `demo-university`. */
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lowercase letters, digits and dashes'),
    /** What the sign-in button says after "Sign in with". */
    displayName: z.string().min(1).max(100),
    /** The provider's issuer identifier; its discovery document must name exactly this issuer. */
    issuer: z.string().url(),
    clientId: z.string().min(1),
    /** The client secret in clear (development), or… */
    clientSecret: z.string().min(1).optional(),
    /** …the name of a server secret (`server_secrets`, encrypted at rest) holding it. */
    clientSecretName: z.string().min(1).optional(),
    scopes: z.string().default('openid email profile eduperson'),
    /** Which claim carries `role@domain` affiliations (eduPersonScopedAffiliation). */
    affiliationClaim: z.string().default('eduperson_scoped_affiliation'),
    /** Which claim carries entitlements (eduPersonEntitlement). */
    entitlementClaim: z.string().default('eduperson_entitlement'),
    /** Who the visa says asserted the affiliation: the provider's system, or a signing official. */
    affiliationBy: z.enum(['system', 'so']).default('system'),
    /** Roles an account may hold to sign in through this provider; new accounts get the first. */
    roles: z.array(z.enum(ROLES)).min(1).default(['researcher']),
    /** New accounts are active at once, or wait for an administrator (disabled until enabled). */
    newAccounts: z.enum(['active', 'pending']).default('pending'),
  })
  .refine((p) => p.clientSecret !== undefined || p.clientSecretName !== undefined, {
    message: 'needs clientSecret or clientSecretName',
  });

/** One configured OpenID provider (an institution). */
export type OidcProviderSettings = z.output<typeof providerSchema>;

/** Institutional sign-in and second-factor settings. */
export interface IdentitySettings {
  providers: OidcProviderSettings[];
  /** The portal's callback URL registered at every provider. */
  redirectUri: string;
  /** Where the provider sends the browser after RP-initiated logout. */
  postLogoutRedirectUri: string;
  /** Roles that must prove a second factor before they act. */
  mfaRoles: string[];
  /** How recent a second-factor proof must be for a step-up action. */
  stepUpMaxAgeMs: number;
  /** Mutations that need a recent second factor (step-up), whatever the role. */
  stepUpFields: string[];
  /** Allow plain-http issuers on loopback (the test provider); never other hosts. */
  allowLoopbackHttp: boolean;
}

/**
 * Reads `OIDC_PROVIDERS` (a JSON array) or `OIDC_PROVIDERS_FILE`, `OIDC_REDIRECT_URI`,
 * `MFA_REQUIRED_ROLES` and `STEP_UP_MAX_AGE_MINUTES`. Throws a message naming what is wrong.
 */
export function identitySettingsFromEnv(
  env: NodeJS.ProcessEnv,
  webOrigin: string,
): IdentitySettings {
  const raw = env.OIDC_PROVIDERS_FILE
    ? readFileSync(env.OIDC_PROVIDERS_FILE, 'utf8')
    : (env.OIDC_PROVIDERS ?? '[]');
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new Error('OIDC_PROVIDERS is not valid JSON');
  }
  const parsed = z.array(providerSchema).safeParse(json);
  if (!parsed.success)
    throw new Error(
      `OIDC_PROVIDERS: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  const ids = new Set<string>();
  for (const p of parsed.data) {
    if (ids.has(p.id)) throw new Error(`OIDC_PROVIDERS: provider id ${p.id} is used twice`);
    ids.add(p.id);
  }
  const mfaRoles = (env.MFA_REQUIRED_ROLES ?? 'admin,ethics_board')
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  for (const role of mfaRoles)
    if (!(ROLES as readonly string[]).includes(role))
      throw new Error(`MFA_REQUIRED_ROLES: ${role} is not a role`);
  const stepUpMinutes = Number(env.STEP_UP_MAX_AGE_MINUTES ?? '15');
  if (!Number.isFinite(stepUpMinutes) || stepUpMinutes <= 0)
    throw new Error('STEP_UP_MAX_AGE_MINUTES must be a positive number');
  const stepUpFields = (env.STEP_UP_ACTIONS ?? 'castVote,revokeGrant,changeUserRole,createExport')
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  return {
    providers: parsed.data,
    redirectUri: env.OIDC_REDIRECT_URI ?? `${webOrigin}/login/oidc/callback`,
    postLogoutRedirectUri: `${webOrigin}/login`,
    mfaRoles,
    stepUpMaxAgeMs: stepUpMinutes * 60_000,
    stepUpFields,
    allowLoopbackHttp: true,
  };
}
