import { fail } from '@sveltejs/kit';
import { graphql, type ResultOf } from '$lib/graphql/graphql';
import { signedIn } from '$lib/server/guard';
import { loadOrFail } from '$lib/server/load';
import { Refusal, mutationAction, sentence } from '$lib/server/mutate';
import { ROLE_LABELS, isRole } from '$lib/roles';
import { readCreateUserForm, validateCreateUser } from '$lib/user-form';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { formText } from '$lib/form-text';

const Users = graphql(`
  query Users { users { id email displayName role institution createdAt disabledAt
  researcherStatusConfirmedAt } }
`);
/** An account as the page lists it. */
export type AccountRow = ResultOf<typeof Users>['users'][number];

export const load: PageServerLoad = async ({ locals, fetch }) => {
  const { viewer, token } = signedIn(locals);
  const { users } = await loadOrFail(fetch, token, Users, {});
  return { users, viewerId: viewer.id };
};

const CreateUser = graphql(
  `
    mutation CreateUser($input: CreateUserInput!) { createUser(input: $input) {
    ... on MutationCreateUserSuccess { data { displayName } } ...Refusal } }
  `,
  [Refusal],
);

const ChangeUserRole = graphql(
  `
    mutation ChangeUserRole($input: ChangeUserRoleInput!) { changeUserRole(input: $input) {
    ... on MutationChangeUserRoleSuccess { data { displayName role } } ...Refusal } }
  `,
  [Refusal],
);

const DisableUser = graphql(
  `
    mutation DisableUser($userId: ID!) { disableUser(userId: $userId) {
    ... on MutationDisableUserSuccess { data { displayName } } ...Refusal } }
  `,
  [Refusal],
);

const EnableUser = graphql(
  `
    mutation EnableUser($userId: ID!) { enableUser(userId: $userId) {
    ... on MutationEnableUserSuccess { data { displayName } } ...Refusal } }
  `,
  [Refusal],
);

const ConfirmResearcherStatus = graphql(
  `
    mutation ConfirmResearcherStatus($userId: ID!) { confirmResearcherStatus(userId: $userId) {
    ... on MutationConfirmResearcherStatusSuccess { data } ...Refusal } }
  `,
  [Refusal],
);

/** The account a per-account form names, and its answer's place on the page. */
async function accountForm({ locals, request }: RequestEvent) {
  const form = await request.formData();
  const userId = formText(form, 'userId');
  return { form, userId, token: signedIn(locals).token, kept: { action: 'account', userId } };
}

export const actions: Actions = {
  create: async ({ locals, fetch, request }) => {
    const { token } = signedIn(locals);
    const values = readCreateUserForm(await request.formData());
    const kept = { action: 'create', values: { ...values, password: '' } };
    const { errors, input } = validateCreateUser(values);
    if (Object.keys(errors).length)
      return fail(400, { ...kept, errors, message: 'Please correct the fields marked below.' });
    return mutationAction(
      fetch,
      token,
      CreateUser,
      { input },
      {
        kept,
        done: (data) => ({
          created: `Account created for ${data.displayName}. Tell them their password in person or by another channel.`,
        }),
        // An address already in use is a conflict, shown beside the address.
        refused: (r) =>
          r.code === 'CONFLICT' ? { email: sentence(r.message), ...r.fieldErrors } : r.fieldErrors,
      },
    );
  },

  role: async (event) => {
    const { form, userId, token, kept } = await accountForm(event);
    const role = formText(form, 'role');
    return mutationAction(
      event.fetch,
      token,
      ChangeUserRole,
      // An unknown role goes to the API as empty, which refuses it as a validation error.
      { input: { userId, role: isRole(role) ? role : ('' as never) } },
      {
        kept,
        done: (u) => ({ notice: `${u.displayName} is now ${ROLE_LABELS[u.role] ?? u.role}.` }),
      },
    );
  },

  disable: async (event) => {
    const { userId, token, kept } = await accountForm(event);
    return mutationAction(
      event.fetch,
      token,
      DisableUser,
      { userId },
      {
        kept,
        done: (u) => ({
          notice: `${u.displayName}’s account is disabled; their sessions have ended.`,
        }),
      },
    );
  },

  enable: async (event) => {
    const { userId, token, kept } = await accountForm(event);
    return mutationAction(
      event.fetch,
      token,
      EnableUser,
      { userId },
      {
        kept,
        done: (u) => ({ notice: `${u.displayName} can sign in again.` }),
      },
    );
  },

  confirm: async (event) => {
    const { userId, token, kept } = await accountForm(event);
    return mutationAction(
      event.fetch,
      token,
      ConfirmResearcherStatus,
      { userId },
      {
        kept,
        done: () => ({
          notice:
            'Researcher status confirmed: their GA4GH Passport now carries a ResearcherStatus visa.',
        }),
      },
    );
  },
};
