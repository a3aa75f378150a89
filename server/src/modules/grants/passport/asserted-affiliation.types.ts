import { builder } from '../../../builder.js';
import { WRITE_ERRORS } from '../../../graphql/error-types.js';
import { inTransaction } from '../../../graphql/run.js';
import { assertAffiliation } from './asserted-affiliation.service.js';

builder.mutationField('assertAffiliation', (t) =>
  t.string({
    description:
      "An administrator asserts the affiliation (role@domain) of an account no institution vouches for; its passport's AffiliationAndRole visa then says by: system, with us as the source.",
    authScopes: { roles: ['admin'] },
    errors: { types: WRITE_ERRORS },
    args: { userId: t.arg.id(), value: t.arg.string() },
    resolve: (_root, args, ctx) =>
      inTransaction(ctx, (tx) =>
        assertAffiliation(tx, ctx.viewer, { userId: String(args.userId), value: args.value }),
      ),
  }),
);
