import { builder } from '../../builder.js';
import { WRITE_ERRORS } from '../../graphql/error-types.js';
import { inTransaction } from '../../graphql/run.js';
import {
  dataUseFromArgs,
  DataUseChangeType,
  DatasetType,
  UpdateDatasetInput,
} from '../datasets/datasets.types.js';
import { voteOnDataUseChange } from './data-use-change-votes.js';
import {
  changeDataset,
  dataUseReviews,
  type DataUseReview,
  type GrantToReview,
} from './data-use-reviews.js';

const GrantToReviewType = builder.objectRef<GrantToReview>('GrantToReview').implement({
  fields: (t) => ({
    grantId: t.exposeID('grantId'),
    studyId: t.exposeID('studyId'),
    studyTitle: t.exposeString('studyTitle'),
  }),
});

const DataUseReviewType = builder.objectRef<DataUseReview>('DataUseReview').implement({
  description: 'A data-use change the board should act on, and the grants it touches.',
  fields: (t) => ({
    change: t.field({ type: DataUseChangeType, resolve: (r) => r.change }),
    datasetName: t.exposeString('datasetName'),
    grants: t.field({ type: [GrantToReviewType], resolve: (r) => r.grants }),
  }),
});

builder.queryField('dataUseReviews', (t) =>
  t.field({
    type: builder
      .objectRef<{ pending: DataUseReview[]; narrowed: DataUseReview[] }>('DataUseReviews')
      .implement({
        fields: (f) => ({
          pending: f.field({
            type: [DataUseReviewType],
            description: 'Widenings waiting for approval.',
            resolve: (r) => r.pending,
          }),
          narrowed: f.field({
            type: [DataUseReviewType],
            description: 'Narrowings with active grants issued under the wider terms.',
            resolve: (r) => r.narrowed,
          }),
        }),
      }),
    description:
      'Data-use changes for the viewer’s committees (all of them for an admin): widenings to decide, grants to review.',
    authScopes: { roles: ['ethics_board', 'admin'] },
    resolve: (_root, _args, ctx) => inTransaction(ctx, (tx) => dataUseReviews(tx, ctx.viewer)),
  }),
);

builder.mutationField('updateDataset', (t) =>
  t.field({
    type: DatasetType,
    description:
      'Changes a dataset. A narrower data use applies at once (grant holders are told, the board reviews their grants); a wider one waits for the board (see dataUseHistory).',
    authScopes: { roles: ['steward', 'admin'] },
    errors: { types: WRITE_ERRORS },
    args: { input: t.arg({ type: UpdateDatasetInput }) },
    resolve: (_root, { input }, ctx) =>
      inTransaction(ctx, (tx) =>
        changeDataset(tx, ctx.viewer, {
          ...input,
          dataUse: input.dataUse ? dataUseFromArgs(input.dataUse) : null,
        }),
      ),
  }),
);

builder.mutationField('voteOnDataUseChange', (t) =>
  t.field({
    type: DataUseChangeType,
    description:
      'A member of the committee governing the dataset votes on a pending widening; once the committee’s quorum is in (its chair deciding, if it has one) the widening is applied or rejected. Members of other committees are refused. Audited.',
    authScopes: { roles: ['ethics_board'] },
    errors: { types: WRITE_ERRORS },
    args: {
      changeId: t.arg.id(),
      approve: t.arg.boolean(),
      note: t.arg.string({ required: false }),
    },
    resolve: (_root, args, ctx) =>
      inTransaction(ctx, (tx) =>
        voteOnDataUseChange(tx, ctx.viewer, {
          changeId: String(args.changeId),
          approve: args.approve,
          note: args.note ?? '',
        }),
      ),
  }),
);
