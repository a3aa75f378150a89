import { fail, redirect } from '@sveltejs/kit';
import { ApiRequestError } from '$lib/server/api';
import { RequestPasswordReset } from '$lib/server/login';
import { mutate, statusOf } from '$lib/server/mutate';
import type { Actions, PageServerLoad } from './$types';
import { m } from '$lib/paraglide/messages';

export const load: PageServerLoad = ({ locals }) => {
  if (locals.viewer) redirect(303, '/account');
  return {};
};

export const actions: Actions = {
  default: async ({ request, fetch }) => {
    const email = String((await request.formData()).get('email') ?? '').trim();
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email))
      return fail(400, { email, error: m.forgot_email_missing(), sent: false });
    try {
      const outcome = await mutate(fetch, null, RequestPasswordReset, { email });
      if (!outcome.ok)
        return fail(statusOf(outcome.code), { email, error: outcome.message, sent: false });
    } catch (error) {
      const message = error instanceof ApiRequestError ? error.message : m.error_unexpected();
      return fail(502, { email, error: message, sent: false });
    }
    // The same words whether or not an account has the address.
    return { email, error: null, sent: true };
  },
};
