import { builder } from '../../builder.js';
import { roleGatedRead } from '../../graphql/role-gated-fields.js';
import { refusalAuditedTx } from '../../graphql/audit-refusals.js';
import { WRITE_ERRORS } from '../../graphql/error-types.js';
import { loaders } from '../../graphql/loaders.js';
import { inTransaction } from '../../graphql/run.js';
import { StudyType } from '../studies/studies.types.js';
import type { ConsentReason } from '../cohorts/consent-reasons.js';
import {
  consentOutlook,
  type ConditionOutlook,
  type ConsentOutlook,
  type OutlookFigures,
} from './consent-outlook.js';
import { canSeeVotes } from './review.policy.js';
import { castVote, reviewQueue, votesOn, type VoteRow } from './review.service.js';

const VoteChoiceEnum = builder.enumType('VoteChoice', {
  values: { APPROVE: { value: 'approve' }, REJECT: { value: 'reject' } } as const,
});

const ReviewVoteType = builder.objectRef<VoteRow>('ReviewVote').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    vote: t.field({ type: VoteChoiceEnum, resolve: (v) => v.vote as never }),
    rationale: t.exposeString('rationale'),
    conditions: t.exposeStringList('conditions'),
    overrideReason: t.exposeString('overrideReason', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    memberName: t.string({
      resolve: async (v, _args, ctx) =>
        (await loaders(ctx).userProfile.load(v.memberId))!.displayName,
    }),
    mine: t.boolean({
      resolve: (v, _args, ctx) => ctx.viewer?.userId === v.memberId,
    }),
  }),
});

builder.objectField(StudyType, 'votes', (t) =>
  t.field({
    type: [ReviewVoteType],
    description: 'The board’s votes (ethics boards and admins; researchers see the decision).',
    resolve: (s, _args, ctx) =>
      canSeeVotes(ctx.viewer) ? ctx.db.transaction((tx) => votesOn(tx, s.id)) : [],
  }),
);

roleGatedRead('reviewQueue', {
  type: [StudyType],
  description: 'Requests awaiting the board, the longest waiting first.',
  roles: ['ethics_board', 'admin'],
  run: (tx, viewer) => reviewQueue(tx, viewer),
});

const VoteInput = builder.inputType('VoteInput', {
  fields: (t) => ({
    studyId: t.id(),
    dacId: t.id({
      required: false,
      description:
        'The committee voted for; needed only when the member sits on several deciding the request.',
    }),
    vote: t.field({ type: VoteChoiceEnum }),
    rationale: t.string({ description: 'Required; a rejection needs at least 10 characters.' }),
    conditions: t.stringList({ required: false }),
    overrideReason: t.string({
      required: false,
      description: 'Required to approve when the DUO match denied a dataset.',
    }),
  }),
});

builder.mutationField('castVote', (t) =>
  t.field({
    type: StudyType,
    description:
      'Votes in the member’s committee’s election on a request (once each). When every committee has decided, the study is approved with a grant over the approving committees’ datasets, or rejected.',
    authScopes: { roles: ['ethics_board'] },
    errors: { types: WRITE_ERRORS },
    args: { input: t.arg({ type: VoteInput }) },
    resolve: async (_root, { input }, ctx) => {
      const { counter } = ctx.services;
      const index = await counter.index();
      const settings = { grantDefaultMonths: ctx.config.grantDefaultMonths };
      return refusalAuditedTx(
        ctx,
        { action: 'review.vote', targetType: 'study', targetId: input.studyId },
        async (tx) =>
          (
            await castVote(tx, ctx.viewer, counter, index, settings, {
              studyId: String(input.studyId),
              dacId: input.dacId ? String(input.dacId) : null,
              vote: input.vote,
              rationale: input.rationale,
              conditions: input.conditions ?? [],
              overrideReason: input.overrideReason ?? null,
            })
          ).study,
      );
    },
  }),
);

const OutlookFiguresType = builder.objectRef<OutlookFigures>('OutlookFigures').implement({
  fields: (t) => ({
    permitted: t.exposeInt('permitted'),
    ask: t.exposeInt('ask'),
    excluded: t.exposeInt('excluded'),
  }),
});

const ConsentReasonType = builder.objectRef<ConsentReason>('ConsentReason').implement({
  description: 'Why some members must be asked or are excluded: a count, never a name.',
  fields: (t) => ({
    outcome: t.exposeString('outcome', { description: 'ask or excluded' }),
    reason: t.exposeString('reason'),
    count: t.exposeInt('count'),
  }),
});

const ConditionOutlookType = builder.objectRef<ConditionOutlook>('ConditionOutlook').implement({
  description: 'What approving with one suggested condition would do to the cohort.',
  fields: (t) => ({
    key: t.exposeString('key'),
    condition: t.exposeString('condition'),
    plain: t.exposeString('plain'),
    figures: t.field({ type: OutlookFiguresType, resolve: (c) => c.figures }),
  }),
});

const ConsentOutlookType = builder.objectRef<ConsentOutlook>('ConsentOutlook').implement({
  description:
    'The requested cohort by standing consent (permitted, to be asked, excluded) with the reasons, and the effect of each suggested condition. Counts only.',
  fields: (t) => ({
    total: t.exposeInt('total'),
    figures: t.field({ type: OutlookFiguresType, resolve: (o) => o.figures }),
    reasons: t.field({ type: [ConsentReasonType], resolve: (o) => o.reasons }),
    conditions: t.field({ type: [ConditionOutlookType], resolve: (o) => o.conditions }),
  }),
});

builder.objectField(StudyType, 'consentOutlook', (t) =>
  t.field({
    type: ConsentOutlookType,
    nullable: true,
    description:
      'Ethics boards and admins: how the cohort’s consent breaks down and what each condition would change. Null before submission. Audited.',
    authScopes: { roles: ['ethics_board', 'admin'] },
    resolve: async (s, _args, ctx) => {
      const index = await ctx.services.counter.index();
      return inTransaction(ctx, (tx) => consentOutlook(tx, ctx.viewer, index, s));
    },
  }),
);
