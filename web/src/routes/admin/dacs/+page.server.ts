import { graphql, type ResultOf } from '$lib/graphql/graphql';
import { signedIn } from '$lib/server/guard';
import { loadOrFail } from '$lib/server/load';
import { Refusal, mutationAction } from '$lib/server/mutate';
import type { Actions, PageServerLoad } from './$types';

const Committees = graphql(`
  query Committees { dacs { id name quorum voteDays askParticipants overdueRule chair { id displayName } members { id
  displayName institution } datasets { id name } } users { id displayName role disabledAt }
  datasets { id name } }
`);
/** A committee as the page lists it. */
export type CommitteeRow = ResultOf<typeof Committees>['dacs'][number];

export const load: PageServerLoad = async ({ locals, fetch }) => {
  const { token } = signedIn(locals);
  const data = await loadOrFail(fetch, token, Committees, {});
  return {
    dacs: data.dacs,
    // Only active ethics board accounts can sit on a committee.
    board: data.users
      .filter((u) => u.role === 'ethics_board' && !u.disabledAt)
      .map((u) => ({ id: u.id, displayName: u.displayName })),
    datasets: data.datasets,
  };
};

const CreateDac = graphql(
  `
    mutation CreateDac($input: CreateDacInput!) { createDac(input: $input) {
    ... on MutationCreateDacSuccess { data { name } } ...Refusal } }
  `,
  [Refusal],
);
const RenameDac = graphql(
  `
    mutation RenameDac($dacId: ID!, $name: String!) { renameDac(dacId: $dacId, name: $name) {
    ... on MutationRenameDacSuccess { data { name } } ...Refusal } }
  `,
  [Refusal],
);
const SetDacRules = graphql(
  `
    mutation SetDacRules($dacId: ID!, $quorum: Int, $voteDays: Int, $askParticipants: String,
    $overdueRule: OverdueRule) { setDacRules(dacId: $dacId, quorum: $quorum, voteDays: $voteDays,
    askParticipants: $askParticipants, overdueRule: $overdueRule) { ... on MutationSetDacRulesSuccess { data { name } }
    ...Refusal } }
  `,
  [Refusal],
);
const SetDacChair = graphql(
  `
    mutation SetDacChair($dacId: ID!, $chairId: ID) { setDacChair(dacId: $dacId, chairId:
    $chairId) { ... on MutationSetDacChairSuccess { data { name } } ...Refusal } }
  `,
  [Refusal],
);
const AddDacMember = graphql(
  `
    mutation AddDacMember($dacId: ID!, $userId: ID!) { addDacMember(dacId: $dacId, userId:
    $userId) { ... on MutationAddDacMemberSuccess { data { name } } ...Refusal } }
  `,
  [Refusal],
);
const RemoveDacMember = graphql(
  `
    mutation RemoveDacMember($dacId: ID!, $userId: ID!) { removeDacMember(dacId: $dacId, userId:
    $userId) { ... on MutationRemoveDacMemberSuccess { data { name } } ...Refusal } }
  `,
  [Refusal],
);
const AssignDacDatasets = graphql(
  `
    mutation AssignDacDatasets($dacId: ID!, $datasetIds: [ID!]!) { assignDacDatasets(dacId:
    $dacId, datasetIds: $datasetIds) { ... on MutationAssignDacDatasetsSuccess { data { name } }
    ...Refusal } }
  `,
  [Refusal],
);

/** A whole number from a form field, or null when it is empty (the API checks the range). */
function int(form: FormData, name: string): number | null {
  const raw = String(form.get(name) ?? '').trim();
  return raw === '' ? null : Number.parseInt(raw, 10);
}

/** Reads the form and the committee it is about. */
async function formOf(request: Request) {
  const form = await request.formData();
  return { form, dacId: String(form.get('dacId') ?? '') };
}

export const actions: Actions = {
  create: async ({ locals, fetch, request }) => {
    const { token } = signedIn(locals);
    const form = await request.formData();
    const name = String(form.get('name') ?? '').trim();
    return mutationAction(
      fetch,
      token,
      CreateDac,
      { input: { name, quorum: int(form, 'quorum'), voteDays: int(form, 'voteDays') } },
      { kept: { action: 'create', dacId: '' }, done: (d) => ({ notice: `${d.name} is set up.` }) },
    );
  },
  rename: async ({ locals, fetch, request }) => {
    const { token } = signedIn(locals);
    const { form, dacId } = await formOf(request);
    return mutationAction(
      fetch,
      token,
      RenameDac,
      { dacId, name: String(form.get('name') ?? '').trim() },
      { kept: { action: 'dac', dacId }, done: (d) => ({ notice: `Renamed to ${d.name}.` }) },
    );
  },
  rules: async ({ locals, fetch, request }) => {
    const { token } = signedIn(locals);
    const { form, dacId } = await formOf(request);
    return mutationAction(
      fetch,
      token,
      SetDacRules,
      {
        dacId,
        quorum: int(form, 'quorum'),
        voteDays: int(form, 'voteDays'),
        // '' is "the server's default"; the select always sends one of its options.
        askParticipants: String(form.get('askParticipants') ?? ''),
        overdueRule: form.get('overdueRule') === 'CHAIR_CLOSES' ? 'CHAIR_CLOSES' : 'REMIND',
      },
      { kept: { action: 'dac', dacId }, done: () => ({ notice: 'The voting rules are saved.' }) },
    );
  },
  chair: async ({ locals, fetch, request }) => {
    const { token } = signedIn(locals);
    const { form, dacId } = await formOf(request);
    const chairId = String(form.get('chairId') ?? '') || null;
    return mutationAction(
      fetch,
      token,
      SetDacChair,
      { dacId, chairId },
      { kept: { action: 'dac', dacId }, done: () => ({ notice: 'The chair is saved.' }) },
    );
  },
  addMember: async ({ locals, fetch, request }) => {
    const { token } = signedIn(locals);
    const { form, dacId } = await formOf(request);
    return mutationAction(
      fetch,
      token,
      AddDacMember,
      { dacId, userId: String(form.get('userId') ?? '') },
      { kept: { action: 'dac', dacId }, done: () => ({ notice: 'The member is added.' }) },
    );
  },
  removeMember: async ({ locals, fetch, request }) => {
    const { token } = signedIn(locals);
    const { form, dacId } = await formOf(request);
    return mutationAction(
      fetch,
      token,
      RemoveDacMember,
      { dacId, userId: String(form.get('userId') ?? '') },
      { kept: { action: 'dac', dacId }, done: () => ({ notice: 'The member is removed.' }) },
    );
  },
  datasets: async ({ locals, fetch, request }) => {
    const { token } = signedIn(locals);
    const { form, dacId } = await formOf(request);
    return mutationAction(
      fetch,
      token,
      AssignDacDatasets,
      { dacId, datasetIds: form.getAll('datasetIds').map(String) },
      { kept: { action: 'dac', dacId }, done: () => ({ notice: 'The datasets are saved.' }) },
    );
  },
};
