import { fail, redirect } from '@sveltejs/kit';
import { graphql } from '$lib/graphql/graphql';
import { ApiRequestError } from '$lib/server/api';
import { Login } from '$lib/server/login';
import { Refusal, mutate } from '$lib/server/mutate';
import { keepOpenedSession } from '$lib/server/session';
import { validateEnrol } from '$lib/validate';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
  if (locals.viewer) redirect(303, '/');
};

const Enrol = graphql(
  `
    mutation Enrol($input: EnrolInput!) { enrol(input: $input) { ... on MutationEnrolSuccess {
    data { user { id } } } ...Refusal } }
  `,
  [Refusal],
);

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
      const enrol = await mutate(fetch, null, Enrol, { input });
      if (!enrol.ok)
        return fail(400, { values, errors: enrol.fieldErrors, message: enrol.message });
      const login = await mutate(fetch, null, Login, {
        email: input.email,
        password: input.password,
      });
      if (login.ok) keepOpenedSession(cookies, url, login.data);
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
