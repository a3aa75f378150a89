import { builder } from '../../builder.js';
import { RateLimitedError, ValidationError } from '../../errors/app-errors.js';
import { loginLimits, sendAccountTokenMail } from './accounts.types.js';
import { requestPasswordReset, resetPassword } from './password-reset.service.js';

builder.mutationField('requestPasswordReset', (t) =>
  t.boolean({
    description:
      'Sends a password-reset link to the address if an account has it. The answer is the same either way (true).',
    skipTypeScopes: true,
    errors: { types: [ValidationError, RateLimitedError] },
    args: { email: t.arg.string() },
    resolve: async (_root, { email }, ctx) => {
      const mail = await requestPasswordReset(
        ctx.db,
        { limits: loginLimits(ctx.config), webOrigin: ctx.config.webOrigin },
        ctx.clientKey,
        { email },
      );
      sendAccountTokenMail(ctx, 'password_reset', mail);
      return true;
    },
  }),
);

builder.mutationField('resetPassword', (t) =>
  t.boolean({
    description:
      'Sets a new password with the token from a reset link (used once, 30 minutes); every session of the account ends.',
    skipTypeScopes: true,
    errors: { types: [ValidationError] },
    args: { token: t.arg.string(), newPassword: t.arg.string() },
    resolve: async (_root, args, ctx) => {
      await resetPassword(ctx.db, args);
      return true;
    },
  }),
);
