import { fail, redirect } from '@sveltejs/kit';
import { ApiRequestError, apiText } from '$lib/server/api';
import { setSessionCookie } from '$lib/server/session';
import { validateEnrol } from '$lib/validate';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
  if (locals.viewer) redirect(303, '/');
};

type Typed = {
  __typename: string;
  message?: string;
  fieldErrors?: { field: string; message: string }[];
};

export const actions: Actions = {
  default: async ({ request, cookies, fetch, url }) => {
    const form = await request.formData();
    const input = {
      code: String(form.get('code') ?? ''),
      email: String(form.get('email') ?? ''),
      password: String(form.get('password') ?? ''),
      displayName: String(form.get('displayName') ?? ''),
    };
    const values = { code: input.code, email: input.email, displayName: input.displayName };
    const errors = validateEnrol(input);
    if (Object.keys(errors).length) return fail(400, { values, errors, message: null });
    try {
      const { enrol } = await apiText<{ enrol: Typed }>(
        fetch,
        `mutation($input: EnrolInput!) { enrol(input: $input) {
          __typename
          ... on Error { message }
          ... on ValidationError { fieldErrors { field message } }
        } }`,
        { input },
      );
      if (enrol.__typename !== 'MutationEnrolSuccess') {
        const fieldErrors = Object.fromEntries(
          (enrol.fieldErrors ?? []).map((f) => [f.field, f.message]),
        );
        return fail(400, {
          values,
          errors: fieldErrors,
          message: enrol.message ?? 'Enrolment failed.',
        });
      }
      const { login } = await apiText<{
        login: { __typename: string; data?: { token: string; expiresAt: string } };
      }>(
        fetch,
        `mutation($email: String!, $password: String!) { login(email: $email, password: $password) {
          __typename ... on MutationLoginSuccess { data { token expiresAt } } } }`,
        { email: input.email, password: input.password },
      );
      if (login.data)
        setSessionCookie(
          cookies,
          login.data.token,
          new Date(login.data.expiresAt),
          url.protocol === 'https:',
        );
    } catch (error) {
      return fail(502, {
        values,
        errors: {},
        message: error instanceof ApiRequestError ? error.message : 'Unexpected error.',
      });
    }
    redirect(303, '/');
  },
};
