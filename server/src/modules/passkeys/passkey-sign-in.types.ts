import { builder } from '../../builder.js';
import {
  RateLimitedError,
  UnauthenticatedError,
  ValidationError,
} from '../../errors/app-errors.js';
import { LoginPayload, loginLimits } from '../accounts/accounts.types.js';
import { sessionCookie } from '../accounts/session-cookie.js';
import { passkeySignInOptions, signInWithPasskey } from './passkey-sign-in.service.js';

builder.mutationField('passkeySignInOptions', (t) =>
  t.string({
    description:
      'Options (JSON) for startAuthentication to sign in with a passkey; no account is named, the browser offers the passkeys it holds for this site. Valid for five minutes, once.',
    skipTypeScopes: true,
    errors: { types: [RateLimitedError] },
    resolve: async (_root, _args, ctx) =>
      JSON.stringify(await passkeySignInOptions(ctx.db, ctx.config.webauthn)),
  }),
);

builder.mutationField('signInWithPasskey', (t) =>
  t.field({
    type: LoginPayload,
    description:
      'Signs a participant in with one of their passkeys (the JSON of startAuthentication over passkeySignInOptions); sets the session cookie like login.',
    skipTypeScopes: true,
    errors: { types: [ValidationError, UnauthenticatedError, RateLimitedError] },
    args: { response: t.arg.string() },
    resolve: async (_root, { response }, ctx) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(response);
      } catch {
        throw new ValidationError('Not a WebAuthn response', [
          { field: 'response', message: 'expected the JSON of a WebAuthn assertion' },
        ]);
      }
      const result = await signInWithPasskey(
        ctx.db,
        ctx.config.webauthn,
        { ...loginLimits(ctx.config), sessionTtlMs: ctx.config.sessionTtlMs },
        ctx.clientKey,
        parsed,
        ctx.device,
      );
      ctx.setCookies.push(sessionCookie(result.token, result.expiresAt, ctx.secure));
      return result;
    },
  }),
);
