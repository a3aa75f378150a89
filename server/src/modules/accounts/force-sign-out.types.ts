import { builder } from '../../builder.js';
import { WRITE_ERRORS } from '../../graphql/error-types.js';
import { inTransaction } from '../../graphql/run.js';
import { forceSignOut } from './force-sign-out.service.js';

builder.mutationField('forceSignOut', (t) =>
  t.int({
    description:
      'An administrator ends every session and API token of an account (it stays usable); answers how many ended.',
    authScopes: { roles: ['admin'] },
    errors: { types: WRITE_ERRORS },
    args: { userId: t.arg.id() },
    resolve: (_root, { userId }, ctx) =>
      inTransaction(ctx, (tx) => forceSignOut(tx, ctx.viewer, userId)),
  }),
);
