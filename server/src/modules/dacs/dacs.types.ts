import { builder } from '../../builder.js';
import { roleGatedRead, roleGatedWrite } from '../../graphql/role-gated-fields.js';
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

roleGatedRead('dacs', {
  type: [DacType],
  description: 'The data access committees, by name (ethics boards and admins).',
  roles: ['ethics_board', 'admin'],
  run: (tx, viewer) => {
    assertCanSeeDacs(viewer);
    return allDacs(tx);
  },
});

roleGatedRead('dac', {
  type: DacType,
  roles: ['ethics_board', 'admin'],
  args: (t) => ({ id: t.arg.id() }),
  run: (tx, viewer, { id }) => {
    assertCanSeeDacs(viewer);
    return dacById(tx, String(id));
  },
});

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

roleGatedWrite('createDac', {
  type: DacType,
  description: 'An administrator sets up a data access committee. Audited.',
  roles: ['admin'],
  args: (t) => ({ input: t.arg({ type: CreateDacInput }) }),
  run: (tx, viewer, { input }) =>
    createDac(tx, viewer, {
      name: input.name,
      quorum: input.quorum ?? undefined,
      voteDays: input.voteDays ?? undefined,
      memberIds: (input.memberIds ?? []).map(String),
      chairId: input.chairId ? String(input.chairId) : null,
      datasetIds: (input.datasetIds ?? []).map(String),
    }),
});

roleGatedWrite('renameDac', {
  type: DacType,
  description: 'An administrator renames a committee. Audited.',
  roles: ['admin'],
  args: (t) => ({ dacId: t.arg.id(), name: t.arg.string() }),
  run: (tx, viewer, args) => renameDac(tx, viewer, { dacId: String(args.dacId), name: args.name }),
});

roleGatedWrite('addDacMember', {
  type: DacType,
  description: 'An administrator adds an ethics board member to a committee. Audited.',
  roles: ['admin'],
  args: (t) => ({ dacId: t.arg.id(), userId: t.arg.id() }),
  run: (tx, viewer, args) =>
    addDacMember(tx, viewer, { dacId: String(args.dacId), userId: String(args.userId) }),
});

roleGatedWrite('removeDacMember', {
  type: DacType,
  description: 'An administrator removes a member (not the chair). Audited.',
  roles: ['admin'],
  args: (t) => ({ dacId: t.arg.id(), userId: t.arg.id() }),
  run: (tx, viewer, args) =>
    removeDacMember(tx, viewer, { dacId: String(args.dacId), userId: String(args.userId) }),
});

roleGatedWrite('setDacChair', {
  type: DacType,
  description: 'An administrator names the chair (a member), or none. Audited.',
  roles: ['admin'],
  args: (t) => ({ dacId: t.arg.id(), chairId: t.arg.id({ required: false }) }),
  run: (tx, viewer, args) =>
    setDacChair(tx, viewer, {
      dacId: String(args.dacId),
      chairId: args.chairId ? String(args.chairId) : null,
    }),
});

roleGatedWrite('setDacRules', {
  type: DacType,
  description:
    'An administrator sets the quorum, the days to vote, when participants are asked and what an overdue election allows. Audited.',
  roles: ['admin'],
  args: (t) => ({
    dacId: t.arg.id(),
    quorum: t.arg.int({ required: false }),
    voteDays: t.arg.int({ required: false }),
    askParticipants: t.arg.string({
      required: false,
      description:
        'before_decision or after_approval; an empty string goes back to the server default; omitted: unchanged.',
    }),
    overdueRule: t.arg({ type: OverdueRuleEnum, required: false }),
  }),
  run: (tx, viewer, args) =>
    setDacRules(tx, viewer, {
      dacId: String(args.dacId),
      quorum: args.quorum ?? undefined,
      voteDays: args.voteDays ?? undefined,
      askParticipants: args.askParticipants === '' ? null : (args.askParticipants ?? undefined),
      overdueRule: args.overdueRule ?? undefined,
    }),
});

roleGatedWrite('assignDacDatasets', {
  type: DacType,
  description:
    'An administrator sets every dataset a committee governs (moved from other committees; those left out are governed by none). Audited.',
  roles: ['admin'],
  args: (t) => ({ dacId: t.arg.id(), datasetIds: t.arg.idList() }),
  run: (tx, viewer, args) =>
    assignDacDatasets(tx, viewer, {
      dacId: String(args.dacId),
      datasetIds: args.datasetIds.map(String),
    }),
});
