import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { and, eq, gt, isNull } from 'drizzle-orm';
import * as client from 'openid-client';
import { z } from 'zod';
import type { Database } from '../../db/database.js';
import { NotFoundError, UnauthenticatedError, ValidationError } from '../../errors/app-errors.js';
import { parseInput } from '../../errors/parse-input.js';
import {
  chargeLoginAttempt,
  settleSuccessfulLogin,
  type LoginLimits,
} from '../accounts/login-rate-limit.js';
import { findUser } from '../accounts/accounts.service.js';
import type { UserActor } from '../actors/actor.js';
import { passwordHashOf } from '../accounts/open-session.js';
import { verifyPassword } from '../accounts/password.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { oidcFlows } from './identity.tables.js';
import { providerConfiguration } from './oidc-client.js';
import type { IdentitySettings, OidcProviderSettings } from '../../lib/identity-settings.js';

/** How long a started sign-in may take at the provider. */
const FLOW_TTL_MS = 10 * 60_000;

/** A sign-in started: where to send the browser, and the token binding the flow to it. */
export interface StartedFlow {
  authorizationUrl: string;
  /** Kept by the portal in an HttpOnly cookie and handed back with the callback. */
  flowToken: string;
}

function digest(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** The configured provider with this id, or NOT_FOUND. */
export function configuredProvider(settings: IdentitySettings, id: string): OidcProviderSettings {
  const provider = settings.providers.find((p) => p.id === id);
  if (!provider) throw new NotFoundError('provider');
  return provider;
}

async function startFlow(
  db: Database,
  settings: IdentitySettings,
  provider: OidcProviderSettings,
  link: UserActor | null,
): Promise<StartedFlow> {
  const config = await providerConfiguration(db, provider);
  const state = client.randomState();
  const nonce = client.randomNonce();
  const codeVerifier = client.randomPKCECodeVerifier();
  const flowToken = randomBytes(32).toString('base64url');
  const parameters: Record<string, string> = {
    redirect_uri: settings.redirectUri,
    scope: provider.scopes,
    response_type: 'code',
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  };
  // Linking an identity asks the provider to authenticate the person again, not reuse a session.
  if (link) parameters.prompt = 'login';
  const url = client.buildAuthorizationUrl(config, parameters);
  await db.insert(oidcFlows).values({
    id: randomUUID(),
    state,
    bindingHash: digest(flowToken),
    providerId: provider.id,
    nonce,
    codeVerifier,
    purpose: link ? 'link' : 'sign_in',
    linkUserId: link?.userId ?? null,
    linkSessionId: link?.sessionId ?? null,
    expiresAt: new Date(Date.now() + FLOW_TTL_MS),
  });
  return { authorizationUrl: url.toString(), flowToken };
}

/** Starts a sign-in through an institution's provider (anonymous). */
export function beginOidcSignIn(
  db: Database,
  settings: IdentitySettings,
  providerId: string,
): Promise<StartedFlow> {
  return startFlow(db, settings, configuredProvider(settings, providerId), null);
}

const LinkInput = z.object({
  providerId: z.string().min(1).max(100),
  password: z.string().min(1, { message: 'is required' }).max(256),
});

/**
 * Starts linking an institution's identity to the signed-in account. The account's password is
 * asked again (throttled like a login), and the provider is asked to authenticate afresh; the
 * flow is bound to this session, so only it can finish the link.
 */
export async function beginOidcLink(
  db: Database,
  settings: IdentitySettings,
  limits: LoginLimits,
  clientKey: string,
  actor: UserActor,
  input: unknown,
): Promise<StartedFlow> {
  const data = parseInput(LinkInput, input);
  const provider = configuredProvider(settings, data.providerId);
  const user = await findUser(db, actor.userId);
  if (!user || actor.sessionId === null) throw new UnauthenticatedError();
  await chargeLoginAttempt(db, limits, user.email, clientKey);
  const hash = await db.transaction((tx) => passwordHashOf(tx, actor.userId));
  if (!(await verifyPassword(hash, data.password))) {
    await db.transaction((tx) =>
      appendAuditEvent(tx, actor, {
        action: 'identity.link.refused',
        targetType: 'user',
        targetId: actor.userId,
        payload: { code: 'VALIDATION', provider: provider.id, reason: 'password' },
      }),
    );
    throw new ValidationError('The password is wrong', [
      { field: 'password', message: 'is wrong' },
    ]);
  }
  await db.transaction((tx) => settleSuccessfulLogin(tx, limits, user.email, clientKey));
  return startFlow(db, settings, provider, actor);
}

/** A flow taken off the table by its callback: it can never be used again. */
export type ConsumedFlow = typeof oidcFlows.$inferSelect;

/** Why an institutional sign-in was refused, for the audit trail (never shown in detail). */
export class OidcRefusal extends UnauthenticatedError {
  constructor(
    readonly reason: string,
    /** openid-client's message (which check failed); never holds personal data. */
    readonly detail?: string,
  ) {
    super('Institutional sign-in failed. Start again from the sign-in page.');
  }
}

/**
 * Checks the callback's state against a started flow bound to this browser, and consumes the
 * flow in one statement before anything is sent to the provider: a second callback with the
 * same state (a replayed code) finds nothing.
 */
export async function consumeFlow(
  db: Database,
  settings: IdentitySettings,
  callbackUrl: URL,
  flowToken: string,
): Promise<ConsumedFlow> {
  const expected = new URL(settings.redirectUri);
  if (callbackUrl.origin !== expected.origin || callbackUrl.pathname !== expected.pathname)
    throw new OidcRefusal('redirect_uri');
  const state = callbackUrl.searchParams.get('state');
  if (!state || state.length > 200) throw new OidcRefusal('state');
  const [flow] = await db
    .update(oidcFlows)
    .set({ consumedAt: new Date() })
    .where(
      and(
        eq(oidcFlows.state, state),
        eq(oidcFlows.bindingHash, digest(flowToken)),
        isNull(oidcFlows.consumedAt),
        gt(oidcFlows.expiresAt, new Date()),
      ),
    )
    .returning();
  if (!flow) throw new OidcRefusal('state');
  return flow;
}

/** What the provider vouched for: who, at which issuer, and the institution's claims. */
export interface ProviderIdentity {
  provider: OidcProviderSettings;
  issuer: string;
  subject: string;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
  affiliations: string[];
  entitlements: string[];
  /** The provider's `amr`, when it says how the person authenticated there. */
  amr: string[];
}

function stringList(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

/**
 * Redeems the code at the provider with the flow's PKCE verifier and checks the ID token:
 * issuer (the `iss` response parameter and the token's claim), audience, state, nonce,
 * signature against the provider's current keys, algorithm and expiry (openid-client). The
 * institution's claims are read from the ID token and the UserInfo response for the same subject.
 */
export async function redeemCode(
  db: Database,
  settings: IdentitySettings,
  flow: ConsumedFlow,
  callbackUrl: URL,
): Promise<ProviderIdentity> {
  const provider = settings.providers.find((p) => p.id === flow.providerId);
  if (!provider) throw new OidcRefusal('provider_removed');
  let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
  let config: client.Configuration;
  try {
    config = await providerConfiguration(db, provider);
    tokens = await client.authorizationCodeGrant(config, callbackUrl, {
      pkceCodeVerifier: flow.codeVerifier,
      expectedState: flow.state,
      expectedNonce: flow.nonce,
      idTokenExpected: true,
    });
  } catch (error) {
    // openid-client wraps what oauth4webapi found (the precise check) as the cause.
    const { code, message, cause } = error as {
      code?: unknown;
      message?: unknown;
      cause?: unknown;
    };
    const inner = cause as { code?: unknown; message?: unknown } | undefined;
    const innerCode = typeof inner?.code === 'string' ? inner.code : undefined;
    const innerMessage = typeof inner?.message === 'string' ? inner.message : undefined;
    throw new OidcRefusal(
      innerCode ?? (typeof code === 'string' ? code : 'token'),
      (innerMessage ?? (typeof message === 'string' ? message : '')).slice(0, 160) || undefined,
    );
  }
  const claims = tokens.claims();
  if (!claims) throw new OidcRefusal('no_id_token');
  let merged: Record<string, unknown> = { ...claims };
  if (config.serverMetadata().userinfo_endpoint) {
    try {
      const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
      merged = { ...info, ...claims };
      for (const claim of [provider.affiliationClaim, provider.entitlementClaim])
        if (merged[claim] === undefined && info[claim] !== undefined) merged[claim] = info[claim];
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      throw new OidcRefusal(typeof code === 'string' ? `userinfo:${code}` : 'userinfo');
    }
  }
  return {
    provider,
    issuer: claims.iss,
    subject: claims.sub,
    email: typeof merged.email === 'string' ? merged.email.toLowerCase() : null,
    emailVerified: merged.email_verified === true,
    name: typeof merged.name === 'string' ? merged.name : null,
    affiliations: stringList(merged[provider.affiliationClaim]).slice(0, 50),
    entitlements: stringList(merged[provider.entitlementClaim]).slice(0, 50),
    amr: stringList(claims.amr),
  };
}
