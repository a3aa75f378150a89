import { openSignedInSession } from './session-methods.js';
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Database, Tx } from '../../db/database.js';
import {
  AppError,
  ConflictError,
  ForbiddenError,
  ValidationError,
} from '../../errors/app-errors.js';
import { isUniqueViolation } from '../../lib/db-errors.js';
import { findUser, type UserRecord } from '../accounts/accounts.service.js';
import { users } from '../accounts/accounts.tables.js';
import type { UserActor } from '../actors/actor.js';
import { insertFederatedUser, type NewSession } from '../accounts/open-session.js';
import { markEmailVerifiedByProvider } from '../accounts/email-verification.service.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { oidcIdentities } from './identity.tables.js';
import {
  OidcRefusal,
  consumeFlow,
  redeemCode,
  type ConsumedFlow,
  type ProviderIdentity,
} from './oidc-flow.service.js';
import type { IdentitySettings } from '../../lib/identity-settings.js';

/** The outcome of a provider's callback. */
export type OidcCompletion =
  | { kind: 'signed_in'; token: string; expiresAt: Date; user: UserRecord }
  | { kind: 'linked'; user: UserRecord };

/** What the callback brings back to the API. */
export interface OidcCallback {
  /** The full URL the provider redirected the browser to (code, state, iss). */
  callbackUrl: string;
  /** The flow token from the portal's HttpOnly cookie. */
  flowToken: string;
}

function parseCallback(input: OidcCallback): URL {
  if (typeof input.callbackUrl !== 'string' || input.callbackUrl.length > 4096)
    throw new ValidationError('Invalid callback', [
      { field: 'callbackUrl', message: 'is invalid' },
    ]);
  if (typeof input.flowToken !== 'string' || input.flowToken.length > 200)
    throw new ValidationError('Invalid callback', [{ field: 'flowToken', message: 'is invalid' }]);
  try {
    return new URL(input.callbackUrl);
  } catch {
    throw new ValidationError('Invalid callback', [
      { field: 'callbackUrl', message: 'is invalid' },
    ]);
  }
}

async function findIdentity(tx: Tx, identity: ProviderIdentity) {
  const [row] = await tx
    .select()
    .from(oidcIdentities)
    .where(
      and(eq(oidcIdentities.issuer, identity.issuer), eq(oidcIdentities.subject, identity.subject)),
    );
  return row;
}

async function refreshClaims(tx: Tx, id: string, identity: ProviderIdentity): Promise<void> {
  await tx
    .update(oidcIdentities)
    .set({
      affiliations: identity.affiliations,
      entitlements: identity.entitlements,
      affiliationBy: identity.provider.affiliationBy,
      claimsAt: new Date(),
    })
    .where(eq(oidcIdentities.id, id));
}

async function insertIdentity(tx: Tx, userId: string, identity: ProviderIdentity): Promise<void> {
  try {
    await tx.insert(oidcIdentities).values({
      id: randomUUID(),
      userId,
      providerId: identity.provider.id,
      issuer: identity.issuer,
      subject: identity.subject,
      affiliations: identity.affiliations,
      entitlements: identity.entitlements,
      affiliationBy: identity.provider.affiliationBy,
      claimsAt: new Date(),
    });
  } catch (error) {
    if (isUniqueViolation(error))
      throw new ConflictError('This institutional identity is already linked to an account');
    throw error;
  }
}

/** Signs in, or creates the account on first sign-in; throws FORBIDDEN for a pending account. */
async function signIn(
  db: Database,
  newSession: NewSession,
  identity: ProviderIdentity,
): Promise<OidcCompletion> {
  const provider = identity.provider;
  const outcome = await db.transaction(async (tx) => {
    const existing = await findIdentity(tx, identity);
    let user: UserRecord | null;
    let created = false;
    if (existing) {
      user = await findUser(tx, existing.userId);
      await refreshClaims(tx, existing.id, identity);
      if (user && identity.email && identity.emailVerified)
        await markEmailVerifiedByProvider(tx, user.id, identity.email.toLowerCase());
    } else {
      if (!identity.email || !identity.emailVerified) throw new OidcRefusal('email_not_verified');
      // Never attach a provider to an existing account by e-mail alone: the owner links it
      // from their signed-in session (with their password), or anyone controlling that
      // address at some provider could take the account over.
      const [clash] = await tx
        .select({ id: users.id })
        .from(users)
        .where(eq(users.email, identity.email));
      if (clash)
        throw new ConflictError(
          'An account with this e-mail already exists: sign in with your password and link your institution from your account page.',
        );
      user = await insertFederatedUser(tx, {
        email: identity.email,
        displayName: identity.name ?? identity.email,
        role: provider.roles[0]!,
        institution: provider.displayName,
        pending: provider.newAccounts === 'pending',
      });
      await insertIdentity(tx, user.id, identity);
      created = true;
      await appendAuditEvent(
        tx,
        { kind: 'system', name: `oidc:${provider.id}` },
        {
          action: 'user.create',
          targetType: 'user',
          targetId: user.id,
          payload: { role: user.role, provider: provider.id, pending: user.disabledAt !== null },
        },
      );
    }
    if (!user) throw new OidcRefusal('account_missing');
    if (user.disabledAt !== null) return { kind: 'disabled' as const, user, created };
    if (!provider.roles.includes(user.role)) return { kind: 'role' as const, user, created };
    const session = await openSignedInSession(tx, user, newSession, {
      amr: ['fed', ...identity.amr.filter((m) => m !== 'fed')],
      multiFactor: identity.amr.includes('mfa') || identity.amr.includes('otp'),
      providerId: provider.id,
      audit: { method: 'oidc', provider: provider.id },
    });
    return { kind: 'ok' as const, user, session };
  });
  if (outcome.kind === 'disabled')
    throw new ForbiddenError(
      outcome.created
        ? 'Your account was created and waits for an administrator to approve it.'
        : 'This account is disabled or waits for approval.',
    );
  if (outcome.kind === 'role')
    throw new ForbiddenError(
      `${provider.displayName} cannot sign in a ${outcome.user.role} account.`,
    );
  return {
    kind: 'signed_in',
    token: outcome.session.token,
    expiresAt: outcome.session.expiresAt,
    user: outcome.user,
  };
}

/** Links the identity to the account that started the flow, from that same session. */
async function link(
  db: Database,
  flow: ConsumedFlow,
  viewer: UserActor | null,
  identity: ProviderIdentity,
): Promise<OidcCompletion> {
  if (!viewer || viewer.userId !== flow.linkUserId || viewer.sessionId !== flow.linkSessionId)
    throw new OidcRefusal('link_session');
  return db.transaction(async (tx) => {
    const existing = await findIdentity(tx, identity);
    if (existing && existing.userId !== viewer.userId)
      throw new ConflictError('This institutional identity is already linked to another account');
    if (existing) await refreshClaims(tx, existing.id, identity);
    else await insertIdentity(tx, viewer.userId, identity);
    await appendAuditEvent(tx, viewer, {
      action: 'identity.link',
      targetType: 'user',
      targetId: viewer.userId,
      payload: { provider: identity.provider.id },
    });
    const user = await findUser(tx, viewer.userId);
    return { kind: 'linked' as const, user: user! };
  });
}

/**
 * Finishes a sign-in or link from the provider's callback: the flow must match the state and
 * this browser's flow token and is consumed first; then the code is redeemed and the ID token
 * checked. Every refusal is audited (`auth.oidc_failed` with the reason) in its own
 * transaction and changes nothing else.
 */
export async function completeOidcFlow(
  db: Database,
  settings: IdentitySettings,
  newSession: NewSession,
  viewer: UserActor | null,
  input: OidcCallback,
): Promise<OidcCompletion> {
  const callbackUrl = parseCallback(input);
  let providerId: string | undefined;
  try {
    const flow = await consumeFlow(db, settings, callbackUrl, input.flowToken);
    providerId = flow.providerId;
    const error = callbackUrl.searchParams.get('error');
    if (error) throw new OidcRefusal(`provider:${error.slice(0, 40)}`);
    const identity = await redeemCode(db, settings, flow, callbackUrl);
    return flow.purpose === 'link'
      ? await link(db, flow, viewer, identity)
      : await signIn(db, newSession, identity);
  } catch (error) {
    if (error instanceof AppError) {
      await db.transaction((tx) =>
        appendAuditEvent(tx, viewer, {
          action: 'auth.oidc_failed',
          payload: {
            code: error.code,
            reason: error instanceof OidcRefusal ? error.reason : error.code,
            ...(error instanceof OidcRefusal && error.detail ? { detail: error.detail } : {}),
            ...(providerId ? { provider: providerId } : {}),
          },
        }),
      );
    }
    throw error;
  }
}
