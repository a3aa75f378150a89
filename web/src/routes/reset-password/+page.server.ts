import { fail, redirect } from '@sveltejs/kit';
import { ApiRequestError } from '$lib/server/api';
import { ResetPassword } from '$lib/server/login';
import { mutate, statusOf } from '$lib/server/mutate';
import type { Actions, PageServerLoad } from './$types';

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
    if (!token)
      return fail(400, { error: 'This page needs the link from your e-mail.', done: false });
    if (newPassword !== repeat)
      return fail(400, {
        error: 'The two passwords differ. Type the same one twice.',
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
      const message = error instanceof ApiRequestError ? error.message : 'Unexpected error.';
      return fail(502, { error: message, done: false });
    }
    return { error: null, done: true };
  },
};
