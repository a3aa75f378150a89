import { graphql, type ResultOf } from '$lib/graphql/graphql';
import { signedIn } from '$lib/server/guard';
import { loadOrFail } from '$lib/server/load';
import { Refusal, mutationAction } from '$lib/server/mutate';
import type { TadaDocumentNode } from 'gql.tada';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const CareTeams = graphql(`
  query CareTeamsAdmin { careTeams { id name institution members { name email } } users { id
  displayName email role institution disabledAt } }
`);
/** A care team as the page lists it. */
export type CareTeamRow = ResultOf<typeof CareTeams>['careTeams'][number];

export const load: PageServerLoad = async ({ locals, fetch }) => {
  const { token } = signedIn(locals);
  const data = await loadOrFail(fetch, token, CareTeams, {});
  // Only active clinician accounts with an institution can join a team (the API checks again).
  const clinicians = data.users
    .filter((u) => u.role === 'clinician' && !u.disabledAt && u.institution && u.email)
    .map((u) => ({ displayName: u.displayName, email: u.email!, institution: u.institution! }));
  return {
    teams: data.careTeams,
    clinicians,
    // Offered when a team is set up: where clinicians work, and where teams already are.
    institutions: [
      ...new Set([
        ...clinicians.map((c) => c.institution),
        ...data.careTeams.map((t) => t.institution),
      ]),
    ].sort((a, b) => a.localeCompare(b, 'en')),
  };
};

const CreateCareTeam = graphql(
  `
    mutation CreateCareTeam($institution: String!, $name: String!) { createCareTeam(institution:
    $institution, name: $name) { ... on MutationCreateCareTeamSuccess { data { id } } ...Refusal } }
  `,
  [Refusal],
);
const AddCareTeamMember = graphql(
  `
    mutation AddCareTeamMember($input: CareTeamMemberInput!) { addCareTeamMember(input: $input) {
    ... on MutationAddCareTeamMemberSuccess { data { id } } ...Refusal } }
  `,
  [Refusal],
);
const RemoveCareTeamMember = graphql(
  `
    mutation RemoveCareTeamMember($input: CareTeamMemberInput!) { removeCareTeamMember(input:
    $input) { ... on MutationRemoveCareTeamMemberSuccess { data { id } } ...Refusal } }
  `,
  [Refusal],
);

/** A trimmed text field of a form ('' when absent). */
const field = (form: FormData, name: string) => String(form.get(name) ?? '').trim();

/**
 * Adds or removes one clinician: both forms send the team and the clinician's e-mail, and both
 * answers are kept against that team's card.
 */
function teamMemberAction<R extends object>(
  document: TadaDocumentNode<R, { input: { teamId: string; clinicianEmail: string } }>,
  notice: string,
  fieldName?: (apiField: string) => string,
) {
  return async ({ locals, fetch, request }: RequestEvent) => {
    const { token } = signedIn(locals);
    const form = await request.formData();
    const teamId = field(form, 'teamId');
    return mutationAction(
      fetch,
      token,
      document,
      { input: { teamId, clinicianEmail: field(form, 'clinicianEmail') } },
      { kept: { action: 'team', teamId }, fieldName, done: () => ({ notice }) },
    );
  };
}

export const actions: Actions = {
  /** Sets up a team at an institution (names are unique per institution; the API says so). */
  create: async ({ locals, fetch, request }) => {
    const { token } = signedIn(locals);
    const form = await request.formData();
    const name = field(form, 'name');
    const institution = field(form, 'institution');
    return mutationAction(
      fetch,
      token,
      CreateCareTeam,
      { name, institution },
      {
        kept: { action: 'create', teamId: '', name, institution },
        done: () => ({ notice: `${name} is set up at ${institution}.` }),
      },
    );
  },
  /** Adds a clinician of the team's institution: they act under the team's authorisations at once. */
  addMember: teamMemberAction(
    AddCareTeamMember,
    'The clinician is added to the team.',
    () => 'clinicianEmail',
  ),
  /** Ends a clinician's membership: they lose the team's access at once. */
  removeMember: teamMemberAction(RemoveCareTeamMember, 'The clinician is no longer in the team.'),
};
