import { builder } from '../../builder.js';
import { WRITE_ERRORS } from '../../graphql/error-types.js';
import { inTransaction } from '../../graphql/run.js';
import { DataUseAgreementType } from '../dacs/data-use-agreements.types.js';
import { publishAgreementAndTell } from './agreement-notices.js';

builder.mutationField('publishDataUseAgreement', (t) =>
  t.field({
    type: DataUseAgreementType,
    description:
      'An administrator or the committee’s chair publishes a new version of its data use agreement; earlier acceptances no longer count, and the researchers with open requests or active grants under the committee and their signing officials are told to accept it. Audited.',
    authScopes: { roles: ['admin', 'ethics_board'] },
    errors: { types: WRITE_ERRORS },
    args: { dacId: t.arg.id(), text: t.arg.string() },
    resolve: (_root, args, ctx) =>
      inTransaction(ctx, (tx) =>
        publishAgreementAndTell(tx, ctx.viewer, { dacId: String(args.dacId), text: args.text }),
      ),
  }),
);
