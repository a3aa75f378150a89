import { fail, redirect } from '@sveltejs/kit';
import { ApiRequestError } from '$lib/server/api';
import { ResetPassword } from '$lib/server/login';
import { mutate, statusOf } from '$lib/server/mutate';
import type { Actions, PageServerLoad } from './$types';
import { m } from '$lib/paraglide/messages';

export const load: PageServerLoad = ({ locals }) => {
  if (locals.viewer) redirect(303, '/account');
  return {};
};

export const actions: Actions = {
  default: async ({ request, fetch }) => {
    const form = await request.formData();
    const token = String(form.get('token') ?? '');
    const newPassword = String(form.get('newPassword') ?? '');
    const repeat = String(form.get('repeat') ?? '');
    if (!token) return fail(400, { error: m.link_needed(), done: false });
    if (newPassword !== repeat)
      return fail(400, {
        error: m.reset_differ(),
        done: false,
      });
    try {
      const outcome = await mutate(fetch, null, ResetPassword, { token, newPassword });
      if (!outcome.ok) {
        const field = outcome.fieldErrors.newPassword;
        return fail(statusOf(outcome.code), {
          error: field
            ? `The new password ${field.replace(/^./, (c) => c.toLowerCase())}`
            : outcome.message,
          done: false,
        });
      }
    } catch (error) {
      const message = error instanceof ApiRequestError ? error.message : m.error_unexpected();
      return fail(502, { error: message, done: false });
    }
    return { error: null, done: true };
  },
};
