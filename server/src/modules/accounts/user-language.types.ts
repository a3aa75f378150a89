import { builder } from '../../builder.js';
import { ValidationError } from '../../errors/app-errors.js';
import { inTransaction } from '../../graphql/run.js';
import { setMyLanguage } from './user-language.service.js';

builder.mutationField('setMyLanguage', (t) =>
  t.string({
    description:
      'Sets the language of your portal, notifications and e-mails: `en` (English) or `es` (Spanish). Answers the language now set.',
    authScopes: { authenticated: true },
    errors: { types: [ValidationError] },
    args: { locale: t.arg.string() },
    resolve: (_root, args, ctx) => inTransaction(ctx, (tx) => setMyLanguage(tx, ctx.viewer!, args)),
  }),
);
