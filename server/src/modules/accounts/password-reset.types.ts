import { builder } from '../../builder.js';
import { RateLimitedError, ValidationError } from '../../errors/app-errors.js';
import { loginLimits } from './accounts.types.js';
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
      // Sent after answering, so how long the answer takes does not tell whether it exists.
      if (mail)
        setImmediate(() => {
          ctx.services.mail
            .send({
              to: mail.to,
              subject: mail.subject,
              text: mail.text,
              notificationId: mail.tokenId,
              kind: 'password_reset',
            })
            // A failed send is not retried: the person asks again, as they would for a lost e-mail.
            .catch(() => undefined);
        });
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
