import { builder } from '../../builder.js';
import { roleGatedRead } from '../../graphql/role-gated-fields.js';
import { refusalAuditedTx } from '../../graphql/audit-refusals.js';
import { WRITE_ERRORS } from '../../graphql/error-types.js';
import { loadFound, loaders } from '../../graphql/loaders.js';
import { inTransaction } from '../../graphql/run.js';
import { dacById, dacsOfMember } from '../dacs/dac-reads.js';
import { DacType } from '../dacs/dacs.types.js';
import { DatasetType } from '../datasets/datasets.types.js';
import { StudyType } from '../studies/studies.types.js';
import { visibleStudy } from '../studies/study-access.js';
import { electionsOfStudy, type ElectionRow } from '../studies/study-elections.js';
import { chairMayClose, closeOverdueElection, isOverdue } from './election-deadlines.js';
import { electionCounts, myPart, openElectionsFor } from './election-views.js';
import { declareConflict } from './review.service.js';

const ElectionStatusEnum = builder.enumType('ElectionStatus', {
  values: {
    OPEN: { value: 'open' },
    APPROVED: { value: 'approved' },
    REJECTED: { value: 'rejected' },
    CLOSED: { value: 'closed', description: 'The request ended before the committee decided.' },
  } as const,
});

const ElectionType = builder.objectRef<ElectionRow>('Election').implement({
  description:
    'One committee’s decision on a request, over the requested datasets it governs (a request over several committees’ datasets has one election each).',
  fields: (t) => ({
    id: t.exposeID('id'),
    status: t.field({ type: ElectionStatusEnum, resolve: (e) => e.status as never }),
    deadlineAt: t.expose('deadlineAt', { type: 'DateTime' }),
    decidedAt: t.expose('decidedAt', { type: 'DateTime', nullable: true }),
    overdue: t.boolean({
      description:
        'Still open after the committee’s voting period: flagged by the deadline sweep, when the members yet to vote and the chair are told.',
      resolve: (e) => isOverdue(e),
    }),
    canClose: t.boolean({
      description:
        'Whether the viewer, as the committee’s chair, may close this overdue election on the votes cast (the committee’s rule is CHAIR_CLOSES).',
      resolve: (e, _args, ctx) =>
        ctx.viewer?.kind === 'user' &&
        inTransaction(ctx, async (tx) =>
          chairMayClose(await dacById(tx, e.dacId), e, ctx.viewer!.userId),
        ),
    }),
    dac: t.field({
      type: DacType,
      resolve: (e, _args, ctx) => inTransaction(ctx, (tx) => dacById(tx, e.dacId)),
    }),
    study: t.field({
      type: StudyType,
      resolve: (e, _args, ctx) =>
        inTransaction(ctx, (tx) => visibleStudy(tx, ctx.viewer, e.studyId)),
    }),
    datasets: t.field({
      type: [DatasetType],
      resolve: (e, _args, ctx) => loadFound(loaders(ctx).dataset, e.datasetIds),
    }),
    votes: t.int({
      resolve: async (e, _args, ctx) =>
        (await inTransaction(ctx, (tx) => electionCounts(tx, e.id))).votes,
    }),
    conflicts: t.int({
      description: 'Members who declared a conflict of interest and stood aside.',
      resolve: async (e, _args, ctx) =>
        (await inTransaction(ctx, (tx) => electionCounts(tx, e.id))).conflicts,
    }),
    canAct: t.boolean({
      description: 'Whether the viewer sits on this committee (and so may vote or stand aside).',
      resolve: async (e, _args, ctx) =>
        ctx.viewer?.kind === 'user' &&
        (await inTransaction(ctx, (tx) => dacsOfMember(tx, ctx.viewer!.userId!))).includes(e.dacId),
    }),
    myVote: t.string({
      nullable: true,
      description: 'approve or reject, when the viewer voted here.',
      resolve: async (e, _args, ctx) =>
        ctx.viewer?.kind === 'user'
          ? (await inTransaction(ctx, (tx) => myPart(tx, e.id, ctx.viewer!.userId!))).vote
          : null,
    }),
    myConflict: t.boolean({
      description: 'Whether the viewer declared a conflict of interest here.',
      resolve: async (e, _args, ctx) =>
        ctx.viewer?.kind === 'user'
          ? (await inTransaction(ctx, (tx) => myPart(tx, e.id, ctx.viewer!.userId!))).conflict
          : false,
    }),
  }),
});

builder.objectField(StudyType, 'elections', (t) =>
  t.field({
    type: [ElectionType],
    description: 'One election per committee governing the requested datasets (boards and admins).',
    authScopes: { roles: ['ethics_board', 'admin'] },
    resolve: (s, _args, ctx) => inTransaction(ctx, (tx) => electionsOfStudy(tx, s.id)),
  }),
);

builder.objectField(StudyType, 'reviewPolicy', (t) =>
  t.field({
    type: builder.objectRef<{ quorum: number; chairDecides: boolean }>('ReviewPolicy').implement({
      fields: (f) => ({
        quorum: f.exposeInt('quorum'),
        chairDecides: f.exposeBoolean('chairDecides'),
      }),
    }),
    description:
      'The rules of the viewer’s committee’s election on this request (else the first committee’s).',
    resolve: (s, _args, ctx) =>
      inTransaction(ctx, async (tx) => {
        const elections = await electionsOfStudy(tx, s.id);
        const mine = ctx.viewer?.kind === 'user' ? await dacsOfMember(tx, ctx.viewer.userId!) : [];
        const election = elections.find((e) => mine.includes(e.dacId)) ?? elections[0];
        if (!election) return { quorum: 0, chairDecides: false };
        const dac = await dacById(tx, election.dacId);
        return { quorum: dac.quorum, chairDecides: dac.chairId !== null };
      }),
  }),
);

roleGatedRead('reviewElections', {
  type: [ElectionType],
  description:
    'The open elections the viewer’s committees hold (all of them for an admin), the nearest deadline first.',
  roles: ['ethics_board', 'admin'],
  run: (tx, viewer) => openElectionsFor(tx, viewer),
});

const DeclareConflictInput = builder.inputType('DeclareConflictInput', {
  fields: (t) => ({
    studyId: t.id(),
    dacId: t.id({ required: false }),
    reason: t.string({ description: 'Why, briefly (kept with the election).' }),
  }),
});

builder.mutationField('declareConflict', (t) =>
  t.field({
    type: StudyType,
    description:
      'A member declares a conflict of interest on a request and stands aside from their committee’s election (before voting). Audited.',
    authScopes: { roles: ['ethics_board'] },
    errors: { types: WRITE_ERRORS },
    args: { input: t.arg({ type: DeclareConflictInput }) },
    resolve: async (_root, { input }, ctx) => {
      const { counter } = ctx.services;
      const index = await counter.index();
      return refusalAuditedTx(
        ctx,
        { action: 'review.conflict.declare', targetType: 'study', targetId: input.studyId },
        (tx) =>
          declareConflict(
            tx,
            ctx.viewer,
            counter,
            index,
            { grantDefaultMonths: ctx.config.grantDefaultMonths },
            {
              studyId: String(input.studyId),
              dacId: input.dacId ? String(input.dacId) : null,
              reason: input.reason,
            },
          ),
      );
    },
  }),
);

builder.mutationField('closeOverdueElection', (t) =>
  t.field({
    type: StudyType,
    description:
      'The chair of a committee whose rule is CHAIR_CLOSES closes its election on a request after the deadline: the votes cast decide by majority; a tie or no votes rejects. Audited.',
    authScopes: { roles: ['ethics_board'] },
    errors: { types: WRITE_ERRORS },
    args: { studyId: t.arg.id(), dacId: t.arg.id() },
    resolve: async (_root, args, ctx) => {
      const { counter } = ctx.services;
      const index = await counter.index();
      return refusalAuditedTx(
        ctx,
        {
          action: 'review.election.close_overdue',
          targetType: 'study',
          targetId: String(args.studyId),
        },
        (tx) =>
          closeOverdueElection(
            tx,
            ctx.viewer,
            counter,
            index,
            { grantDefaultMonths: ctx.config.grantDefaultMonths },
            { studyId: String(args.studyId), dacId: String(args.dacId) },
          ),
      );
    },
  }),
);
