import { fail, redirect } from '@sveltejs/kit';
import { graphql } from '$lib/graphql/graphql';
import { api } from '$lib/server/api';
import { messageOf, signedIn } from '$lib/server/guard';
import { Refusal, mutate } from '$lib/server/mutate';
import { clearSessionCookie } from '$lib/server/session';
import type { FieldErrors } from '$lib/validate';
import type { Actions, PageServerLoad } from './$types';

const ChangePassword = graphql(
  `
  mutation ChangePassword($c: String!, $n: String!) { changePassword(currentPassword: $c,
  newPassword: $n) { __typename ... on MutationChangePasswordSuccess { data } ...Refusal } }
`,
  [Refusal],
);

const LogoutEverywhere = graphql(`
  mutation LogoutEverywhere { logoutEverywhere }
`);

export const load: PageServerLoad = ({ locals }) => {
  const { viewer } = signedIn(locals);
  return { email: viewer.email };
};

export const actions: Actions = {
  password: async ({ locals, request, fetch }) => {
    const { token } = signedIn(locals);
    const form = await request.formData();
    const currentPassword = String(form.get('currentPassword') ?? '');
    const newPassword = String(form.get('newPassword') ?? '');
    const confirmPassword = String(form.get('confirmPassword') ?? '');
    const errors: FieldErrors = {};
    if (!currentPassword) errors.currentPassword = 'Enter your current password.';
    if (newPassword.length < 12) errors.newPassword = 'Use at least 12 characters.';
    if (confirmPassword !== newPassword) errors.confirmPassword = 'The two entries differ.';
    if (Object.keys(errors).length) return fail(400, { errors, message: null, ended: null });
    try {
      const r = await mutate(fetch, token, ChangePassword, { c: currentPassword, n: newPassword });
      if (!r.ok) {
        return fail(r.type === 'RateLimitedError' ? 429 : 400, {
          errors: r.fieldErrors,
          message: r.message,
          ended: null,
        });
      }
      return { errors: {}, message: null, ended: r.data };
    } catch (e) {
      return fail(502, { errors: {}, message: messageOf(e), ended: null });
    }
  },
  everywhere: async ({ locals, cookies, fetch, url }) => {
    const { token } = signedIn(locals);
    try {
      await api(fetch, token, LogoutEverywhere, {});
    } catch (e) {
      return fail(502, { errors: {}, message: messageOf(e), ended: null });
    }
    clearSessionCookie(cookies, url.protocol === 'https:');
    redirect(303, '/login');
  },
};
