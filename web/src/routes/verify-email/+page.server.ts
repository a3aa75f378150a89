import { fail } from '@sveltejs/kit';
import { ApiRequestError } from '$lib/server/api';
import { VerifyEmail } from '$lib/server/email-verification';
import { mutate, statusOf } from '$lib/server/mutate';
import type { Actions } from './$types';
import { m } from '$lib/paraglide/messages';

export const actions: Actions = {
  // Signed in or not: signed in, the API also checks the link is for this account.
  default: async ({ request, fetch, locals }) => {
    const token = String((await request.formData()).get('token') ?? '');
    if (!token) return fail(400, { error: m.link_needed(), done: false });
    try {
      const outcome = await mutate(fetch, locals.token ?? null, VerifyEmail, { t: token });
      if (!outcome.ok) return fail(statusOf(outcome.code), { error: outcome.message, done: false });
    } catch (error) {
      const message = error instanceof ApiRequestError ? error.message : m.error_unexpected();
      return fail(502, { error: message, done: false });
    }
    return { error: null, done: true };
  },
};
