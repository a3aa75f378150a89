import { builder } from '../../builder.js';
import { ConflictError, RateLimitedError, ValidationError } from '../../errors/app-errors.js';
import type { GraphQLContext } from '../../graphql/context.js';
import { loginLimits, sendAccountTokenMail } from './accounts.types.js';
import {
  changeEmail,
  requestEmailVerification,
  verifyEmail,
} from './email-verification.service.js';

const settingsOf = (ctx: GraphQLContext) => ({
  limits: loginLimits(ctx.config),
  webOrigin: ctx.config.webOrigin,
});

builder.mutationField('requestEmailVerification', (t) =>
  t.boolean({
    description:
      'Sends a new link to confirm the address if an enabled account has it and it is not yet confirmed. The answer is the same either way (true).',
    skipTypeScopes: true,
    errors: { types: [ValidationError, RateLimitedError] },
    args: { email: t.arg.string() },
    resolve: async (_root, { email }, ctx) => {
      sendAccountTokenMail(
        ctx,
        'email_verification',
        await requestEmailVerification(ctx.db, settingsOf(ctx), ctx.clientKey, { email }),
      );
      return true;
    },
  }),
);

builder.mutationField('verifyEmail', (t) =>
  t.field({
    type: 'DateTime',
    description:
      'Confirms an e-mail address with the token from its link (used once, 48 hours). Signed in, the token must be your own.',
    skipTypeScopes: true,
    errors: { types: [ValidationError] },
    args: { token: t.arg.string() },
    resolve: (_root, { token }, ctx) => verifyEmail(ctx.db, ctx.viewer, { token }),
  }),
);

builder.mutationField('changeEmail', (t) =>
  t.boolean({
    description:
      'Changes your e-mail address (your password confirms it); the new address is unconfirmed until you open the link sent to it.',
    authScopes: { authenticated: true },
    errors: { types: [ValidationError, ConflictError, RateLimitedError] },
    args: { currentPassword: t.arg.string(), email: t.arg.string() },
    resolve: async (_root, args, ctx) => {
      sendAccountTokenMail(
        ctx,
        'email_verification',
        await changeEmail(ctx.db, ctx.viewer!, settingsOf(ctx), ctx.clientKey, args),
      );
      return true;
    },
  }),
);
