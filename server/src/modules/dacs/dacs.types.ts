import { builder } from '../../builder.js';
import { WRITE_ERRORS } from '../../graphql/error-types.js';
import { loadFound, loaders } from '../../graphql/loaders.js';
import { inTransaction } from '../../graphql/run.js';
import type { UserProfile } from '../accounts/user-profiles.js';
import { DatasetType } from '../datasets/datasets.types.js';
import { allDacs, dacById, dacDatasetIds, dacMemberIds, type DacRow } from './dac-reads.js';
import { assertCanSeeDacs } from './dacs.policy.js';
import {
  addDacMember,
  assignDacDatasets,
  createDac,
  removeDacMember,
  renameDac,
  setDacChair,
  setDacRules,
} from './dacs.service.js';

const DacMemberType = builder.objectRef<UserProfile>('DacMember').implement({
  description: 'An ethics board member sitting on a committee.',
  fields: (t) => ({
    id: t.exposeID('id'),
    displayName: t.exposeString('displayName'),
    institution: t.exposeString('institution', { nullable: true }),
  }),
});

const OverdueRuleEnum = builder.enumType('OverdueRule', {
  description: 'What a committee does with an election still open past its deadline.',
  values: {
    REMIND: {
      value: 'remind',
      description:
        'The members yet to vote and the chair are told; the election waits for its quorum.',
    },
    CHAIR_CLOSES: {
      value: 'chair_closes',
      description:
        'They are told, and the chair may close it on the votes cast (a majority approves; a tie or no votes rejects).',
    },
  } as const,
});

/** A data access committee as the API shows it. */
export const DacType = builder.objectRef<DacRow>('Dac').implement({
  description:
    'A data access committee: it decides the requests for the datasets it governs, with its own quorum, chair and voting period.',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    quorum: t.exposeInt('quorum', { description: 'Votes needed before a decision.' }),
    voteDays: t.exposeInt('voteDays', { description: 'Days the members have to vote.' }),
    askParticipants: t.exposeString('askParticipants', {
      nullable: true,
      description:
        'When participants whose consent says "ask" are asked about its requests: before_decision (the committee sees the response rate) or after_approval; null: the server default (CONSENT_REQUESTS_WHEN).',
    }),
    overdueRule: t.field({
      type: OverdueRuleEnum,
      description: 'What happens to an election still open past its deadline.',
      resolve: (d) => d.overdueRule,
    }),
    chair: t.field({
      type: DacMemberType,
      nullable: true,
      description: 'The member whose vote decides once the quorum is reached; null: the majority.',
      resolve: async (d, _args, ctx) =>
        d.chairId ? await loaders(ctx).userProfile.load(d.chairId) : null,
    }),
    members: t.field({
      type: [DacMemberType],
      resolve: async (d, _args, ctx) =>
        loadFound(
          loaders(ctx).userProfile,
          await inTransaction(ctx, (tx) => dacMemberIds(tx, d.id)),
        ),
    }),
    datasets: t.field({
      type: [DatasetType],
      resolve: async (d, _args, ctx) =>
        loadFound(loaders(ctx).dataset, await inTransaction(ctx, (tx) => dacDatasetIds(tx, d.id))),
    }),
  }),
});

builder.queryField('dacs', (t) =>
  t.field({
    type: [DacType],
    description: 'The data access committees, by name (ethics boards and admins).',
    authScopes: { roles: ['ethics_board', 'admin'] },
    resolve: (_root, _args, ctx) =>
      inTransaction(ctx, (tx) => {
        assertCanSeeDacs(ctx.viewer);
        return allDacs(tx);
      }),
  }),
);

builder.queryField('dac', (t) =>
  t.field({
    type: DacType,
    authScopes: { roles: ['ethics_board', 'admin'] },
    args: { id: t.arg.id() },
    resolve: (_root, { id }, ctx) =>
      inTransaction(ctx, (tx) => {
        assertCanSeeDacs(ctx.viewer);
        return dacById(tx, String(id));
      }),
  }),
);

const CreateDacInput = builder.inputType('CreateDacInput', {
  fields: (t) => ({
    name: t.string(),
    quorum: t.int({ required: false, description: 'Votes needed (default 2).' }),
    voteDays: t.int({ required: false, description: 'Days to vote (default 30).' }),
    memberIds: t.idList({ required: false }),
    chairId: t.id({ required: false, description: 'Must be one of memberIds.' }),
    datasetIds: t.idList({ required: false }),
  }),
});

builder.mutationField('createDac', (t) =>
  t.field({
    type: DacType,
    description: 'An administrator sets up a data access committee. Audited.',
    authScopes: { roles: ['admin'] },
    errors: { types: WRITE_ERRORS },
    args: { input: t.arg({ type: CreateDacInput }) },
    resolve: (_root, { input }, ctx) =>
      inTransaction(ctx, (tx) =>
        createDac(tx, ctx.viewer, {
          name: input.name,
          quorum: input.quorum ?? undefined,
          voteDays: input.voteDays ?? undefined,
          memberIds: (input.memberIds ?? []).map(String),
          chairId: input.chairId ? String(input.chairId) : null,
          datasetIds: (input.datasetIds ?? []).map(String),
        }),
      ),
  }),
);

builder.mutationField('renameDac', (t) =>
  t.field({
    type: DacType,
    description: 'An administrator renames a committee. Audited.',
    authScopes: { roles: ['admin'] },
    errors: { types: WRITE_ERRORS },
    args: { dacId: t.arg.id(), name: t.arg.string() },
    resolve: (_root, args, ctx) =>
      inTransaction(ctx, (tx) =>
        renameDac(tx, ctx.viewer, { dacId: String(args.dacId), name: args.name }),
      ),
  }),
);

builder.mutationField('addDacMember', (t) =>
  t.field({
    type: DacType,
    description: 'An administrator adds an ethics board member to a committee. Audited.',
    authScopes: { roles: ['admin'] },
    errors: { types: WRITE_ERRORS },
    args: { dacId: t.arg.id(), userId: t.arg.id() },
    resolve: (_root, args, ctx) =>
      inTransaction(ctx, (tx) =>
        addDacMember(tx, ctx.viewer, { dacId: String(args.dacId), userId: String(args.userId) }),
      ),
  }),
);

builder.mutationField('removeDacMember', (t) =>
  t.field({
    type: DacType,
    description: 'An administrator removes a member (not the chair). Audited.',
    authScopes: { roles: ['admin'] },
    errors: { types: WRITE_ERRORS },
    args: { dacId: t.arg.id(), userId: t.arg.id() },
    resolve: (_root, args, ctx) =>
      inTransaction(ctx, (tx) =>
        removeDacMember(tx, ctx.viewer, { dacId: String(args.dacId), userId: String(args.userId) }),
      ),
  }),
);

builder.mutationField('setDacChair', (t) =>
  t.field({
    type: DacType,
    description: 'An administrator names the chair (a member), or none. Audited.',
    authScopes: { roles: ['admin'] },
    errors: { types: WRITE_ERRORS },
    args: { dacId: t.arg.id(), chairId: t.arg.id({ required: false }) },
    resolve: (_root, args, ctx) =>
      inTransaction(ctx, (tx) =>
        setDacChair(tx, ctx.viewer, {
          dacId: String(args.dacId),
          chairId: args.chairId ? String(args.chairId) : null,
        }),
      ),
  }),
);

builder.mutationField('setDacRules', (t) =>
  t.field({
    type: DacType,
    description:
      'An administrator sets the quorum, the days to vote, when participants are asked and what an overdue election allows. Audited.',
    authScopes: { roles: ['admin'] },
    errors: { types: WRITE_ERRORS },
    args: {
      dacId: t.arg.id(),
      quorum: t.arg.int({ required: false }),
      voteDays: t.arg.int({ required: false }),
      askParticipants: t.arg.string({
        required: false,
        description:
          'before_decision or after_approval; an empty string goes back to the server default; omitted: unchanged.',
      }),
      overdueRule: t.arg({ type: OverdueRuleEnum, required: false }),
    },
    resolve: (_root, args, ctx) =>
      inTransaction(ctx, (tx) =>
        setDacRules(tx, ctx.viewer, {
          dacId: String(args.dacId),
          quorum: args.quorum ?? undefined,
          voteDays: args.voteDays ?? undefined,
          askParticipants: args.askParticipants === '' ? null : (args.askParticipants ?? undefined),
          overdueRule: args.overdueRule ?? undefined,
        }),
      ),
  }),
);

builder.mutationField('assignDacDatasets', (t) =>
  t.field({
    type: DacType,
    description:
      'An administrator sets every dataset a committee governs (moved from other committees; those left out are governed by none). Audited.',
    authScopes: { roles: ['admin'] },
    errors: { types: WRITE_ERRORS },
    args: { dacId: t.arg.id(), datasetIds: t.arg.idList() },
    resolve: (_root, args, ctx) =>
      inTransaction(ctx, (tx) =>
        assignDacDatasets(tx, ctx.viewer, {
          dacId: String(args.dacId),
          datasetIds: args.datasetIds.map(String),
        }),
      ),
  }),
);
