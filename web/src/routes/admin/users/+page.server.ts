import { fail } from '@sveltejs/kit';
import { apiText } from '$lib/server/api';
import { messageOf, requireRole } from '$lib/server/guard';
import { ROLE_LABELS, ROLES } from '$lib/roles';
import { readCreateUserForm, validateCreateUser } from '$lib/user-form';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

/** An account as the page lists it. */
export interface AccountRow {
  id: string;
  email: string;
  displayName: string;
  role: string;
  institution: string | null;
  createdAt: string;
  disabledAt: string | null;
  researcherStatusConfirmedAt: string | null;
}

const ADMIN = ['admin'] as const;
const USER_FIELDS = `id email displayName role institution createdAt disabledAt researcherStatusConfirmedAt`;

/** A mutation's answer: the success wrapper, or one of the typed errors. */
type Result<T> =
  | { __typename: `Mutation${string}Success`; data: T }
  | { __typename: string; message: string; fieldErrors?: { field: string; message: string }[] };

const ERROR_FIELDS = `__typename ... on Error { message } ... on ValidationError { fieldErrors { field message } }`;

export const load: PageServerLoad = async ({ locals, fetch }) => {
  const { viewer, token } = requireRole(locals, ADMIN, 'account administration');
  try {
    const { users } = await apiText<{ users: AccountRow[] }>(
      fetch,
      `{ users { ${USER_FIELDS} } }`,
      {},
      token,
    );
    return { users, viewerId: viewer.id, loadError: null };
  } catch (e) {
    return { users: [] as AccountRow[], viewerId: viewer.id, loadError: messageOf(e) };
  }
};

const sentence = (s: string) => `${s[0]?.toUpperCase() ?? ''}${s.slice(1)}.`;

/**
 * Runs one of the per-account mutations and turns its answer into what the page shows: a
 * notice on success, the server's typed error (with its type, e.g. LastAdminError) otherwise.
 */
async function accountChange(
  event: RequestEvent,
  mutation: string,
  variables: Record<string, unknown>,
  done: (data: { displayName?: string; role?: string }) => string,
) {
  const { token } = requireRole(event.locals, ADMIN, 'account administration');
  const userId = variables.userId ?? (variables.input as { userId?: unknown } | undefined)?.userId;
  try {
    const data = await apiText<Record<string, Result<{ displayName?: string; role?: string }>>>(
      event.fetch,
      mutation,
      variables,
      token,
    );
    const result = Object.values(data)[0]!;
    if ('data' in result) return { accountNotice: done(result.data), userId: String(userId) };
    const detail = (result.fieldErrors ?? []).map((f) => `${f.field} ${f.message}`).join('; ');
    return fail(result.__typename === 'ValidationError' ? 400 : 409, {
      accountError: detail ? `${result.message} (${detail})` : result.message,
      errorType: result.__typename,
      userId: String(userId),
    });
  } catch (e) {
    return fail(502, {
      accountError: messageOf(e),
      errorType: 'API_ERROR',
      userId: String(userId),
    });
  }
}

const text = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === 'string' ? v : '';
};

export const actions: Actions = {
  create: async ({ locals, fetch, request }) => {
    const { token } = requireRole(locals, ADMIN, 'account administration');
    const values = readCreateUserForm(await request.formData());
    const kept = { ...values, password: '' };
    const { errors, input } = validateCreateUser(values);
    if (Object.keys(errors).length)
      return fail(400, {
        createValues: kept,
        createErrors: errors,
        createMessage: 'Please correct the fields marked below.',
      });
    try {
      const { createUser } = await apiText<{ createUser: Result<{ displayName: string }> }>(
        fetch,
        `mutation($input: CreateUserInput!) { createUser(input: $input) {
          ... on MutationCreateUserSuccess { data { displayName } } ${ERROR_FIELDS} } }`,
        { input },
        token,
      );
      if ('data' in createUser)
        return {
          created: `Account created for ${createUser.data.displayName}. Tell them their password in person or by another channel.`,
        };
      const fieldErrors: Record<string, string> = {};
      for (const f of createUser.fieldErrors ?? []) fieldErrors[f.field] ??= sentence(f.message);
      if (createUser.__typename === 'ConflictError')
        fieldErrors.email ??= sentence(createUser.message);
      return fail(createUser.__typename === 'ConflictError' ? 409 : 400, {
        createValues: kept,
        createErrors: fieldErrors,
        createMessage: createUser.message,
      });
    } catch (e) {
      return fail(502, { createValues: kept, createErrors: {}, createMessage: messageOf(e) });
    }
  },

  role: async (event) => {
    const form = await event.request.formData();
    const role = text(form, 'role');
    return accountChange(
      event,
      `mutation($input: ChangeUserRoleInput!) { changeUserRole(input: $input) {
        ... on MutationChangeUserRoleSuccess { data { displayName role } } ${ERROR_FIELDS} } }`,
      {
        input: {
          userId: text(form, 'userId'),
          role: (ROLES as readonly string[]).includes(role) ? role : '',
        },
      },
      (u) => `${u.displayName} is now ${ROLE_LABELS[u.role ?? ''] ?? u.role}.`,
    );
  },

  disable: async (event) => {
    const form = await event.request.formData();
    return accountChange(
      event,
      `mutation($userId: ID!) { disableUser(userId: $userId) {
        ... on MutationDisableUserSuccess { data { displayName } } ${ERROR_FIELDS} } }`,
      { userId: text(form, 'userId') },
      (u) => `${u.displayName}’s account is disabled; their sessions have ended.`,
    );
  },

  enable: async (event) => {
    const form = await event.request.formData();
    return accountChange(
      event,
      `mutation($userId: ID!) { enableUser(userId: $userId) {
        ... on MutationEnableUserSuccess { data { displayName } } ${ERROR_FIELDS} } }`,
      { userId: text(form, 'userId') },
      (u) => `${u.displayName} can sign in again.`,
    );
  },

  confirm: async (event) => {
    const form = await event.request.formData();
    return accountChange(
      event,
      `mutation($userId: ID!) { confirmResearcherStatus(userId: $userId) {
        ... on MutationConfirmResearcherStatusSuccess { data } ${ERROR_FIELDS} } }`,
      { userId: text(form, 'userId') },
      () =>
        'Researcher status confirmed: their GA4GH Passport now carries a ResearcherStatus visa.',
    );
  },
};
