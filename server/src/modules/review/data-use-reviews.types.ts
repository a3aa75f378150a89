import { builder } from '../../builder.js';
import { roleGatedRead, roleGatedWrite } from '../../graphql/role-gated-fields.js';
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

roleGatedRead('dataUseReviews', {
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
  roles: ['ethics_board', 'admin'],
  run: (tx, viewer) => dataUseReviews(tx, viewer),
});

roleGatedWrite('updateDataset', {
  type: DatasetType,
  description:
    'Changes a dataset. A narrower data use applies at once (grant holders are told, the board reviews their grants); a wider one waits for the board (see dataUseHistory).',
  roles: ['steward', 'admin'],
  args: (t) => ({ input: t.arg({ type: UpdateDatasetInput }) }),
  run: (tx, viewer, { input }) =>
    changeDataset(tx, viewer, {
      ...input,
      dataUse: input.dataUse ? dataUseFromArgs(input.dataUse) : null,
    }),
});

roleGatedWrite('voteOnDataUseChange', {
  type: DataUseChangeType,
  description:
    'A member of the committee governing the dataset votes on a pending widening; once the committee’s quorum is in (its chair deciding, if it has one) the widening is applied or rejected. Members of other committees are refused. Audited.',
  roles: ['ethics_board'],
  args: (t) => ({
    changeId: t.arg.id(),
    approve: t.arg.boolean(),
    note: t.arg.string({ required: false }),
  }),
  run: (tx, viewer, args) =>
    voteOnDataUseChange(tx, viewer, {
      changeId: String(args.changeId),
      approve: args.approve,
      note: args.note ?? '',
    }),
});
