import { builder } from '../../builder.js';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  RateLimitedError,
  UnauthenticatedError,
  ValidationError,
} from '../../errors/app-errors.js';
import { inTransaction } from '../../graphql/run.js';
import { logout } from '../accounts/accounts.service.js';
import { UserType } from '../accounts/accounts.types.js';
import { clearedSessionCookie, sessionCookie } from '../accounts/session-cookie.js';
import { beginOidcLink, beginOidcSignIn, type StartedFlow } from './oidc-flow.service.js';
import { providerLogoutUrl } from './oidc-logout.js';
import { completeOidcFlow, type OidcCompletion } from './oidc-sign-in.service.js';
import type { OidcProviderSettings } from '../../lib/identity-settings.js';

const SignInProviderType = builder.objectRef<OidcProviderSettings>('SignInProvider').implement({
  description: 'An institution whose OpenID provider users may sign in with.',
  fields: (t) => ({
    id: t.exposeID('id'),
    displayName: t.exposeString('displayName'),
  }),
});

const InstitutionFlowType = builder.objectRef<StartedFlow>('InstitutionFlow').implement({
  description: "A sign-in or link started at an institution's provider.",
  fields: (t) => ({
    authorizationUrl: t.exposeString('authorizationUrl', {
      description: "Where to send the browser (the provider's authorization endpoint).",
    }),
    flowToken: t.exposeString('flowToken', {
      description:
        'Binds the flow to this browser: keep it in an HttpOnly cookie and hand it back with the callback.',
    }),
  }),
});

const InstitutionSignInType = builder.objectRef<OidcCompletion>('InstitutionSignIn').implement({
  description: "The outcome of a provider's callback: a new session, or a linked identity.",
  fields: (t) => ({
    token: t.string({
      nullable: true,
      description: 'Bearer token of the new session (null when an identity was linked).',
      resolve: (r) => (r.kind === 'signed_in' ? r.token : null),
    }),
    expiresAt: t.field({
      type: 'DateTime',
      nullable: true,
      resolve: (r) => (r.kind === 'signed_in' ? r.expiresAt : null),
    }),
    linked: t.boolean({ resolve: (r) => r.kind === 'linked' }),
    user: t.field({ type: UserType, resolve: (r) => r.user }),
  }),
});

builder.queryField('signInProviders', (t) =>
  t.field({
    type: [SignInProviderType],
    skipTypeScopes: true,
    description: 'Institutions configured for sign-in (OpenID Connect).',
    resolve: (_root, _args, ctx) => ctx.config.identity.providers,
  }),
);

builder.mutationField('beginInstitutionSignIn', (t) =>
  t.field({
    type: InstitutionFlowType,
    skipTypeScopes: true,
    errors: { types: [NotFoundError] },
    args: { providerId: t.arg.id() },
    resolve: (_root, { providerId }, ctx) =>
      beginOidcSignIn(ctx.db, ctx.config.identity, String(providerId)),
  }),
);

builder.mutationField('beginInstitutionLink', (t) =>
  t.field({
    type: InstitutionFlowType,
    description:
      "Links an institution's identity to the signed-in account: the password is asked again, and the provider authenticates afresh.",
    errors: { types: [NotFoundError, ValidationError, RateLimitedError, UnauthenticatedError] },
    args: { providerId: t.arg.id(), password: t.arg.string() },
    resolve: (_root, args, ctx) =>
      beginOidcLink(
        ctx.db,
        ctx.config.identity,
        { maxFailures: ctx.config.loginMaxFailures, windowMs: ctx.config.loginWindowMs },
        ctx.clientKey,
        ctx.viewer!,
        { providerId: String(args.providerId), password: args.password },
      ),
  }),
);

builder.mutationField('completeInstitutionSignIn', (t) =>
  t.field({
    type: InstitutionSignInType,
    skipTypeScopes: true,
    errors: {
      types: [ValidationError, UnauthenticatedError, ForbiddenError, ConflictError],
    },
    args: { callbackUrl: t.arg.string(), flowToken: t.arg.string() },
    resolve: async (_root, args, ctx) => {
      const result = await completeOidcFlow(
        ctx.db,
        ctx.config.identity,
        { ttlMs: ctx.config.sessionTtlMs, device: ctx.device },
        ctx.viewer,
        args,
      );
      if (result.kind === 'signed_in')
        ctx.setCookies.push(sessionCookie(result.token, result.expiresAt, ctx.secure));
      return result;
    },
  }),
);

builder.mutationField('signOut', (t) =>
  t.string({
    nullable: true,
    description:
      "Ends the current session; answers the institution's logout URL when the session came from a provider that offers RP-initiated logout, else null.",
    resolve: async (_root, _args, ctx) => {
      const viewer = ctx.viewer!;
      const url = await providerLogoutUrl(ctx.db, ctx.config.identity, viewer);
      await inTransaction(ctx, (tx) => logout(tx, viewer));
      ctx.setCookies.push(clearedSessionCookie(ctx.secure));
      return url;
    },
  }),
);
