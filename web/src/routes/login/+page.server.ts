import { fail, redirect } from '@sveltejs/kit';
import { ApiRequestError } from '$lib/server/api';
import { Login } from '$lib/server/login';
import { mutate, statusOf } from '$lib/server/mutate';
import { setSessionCookie } from '$lib/server/session';
import { validateLogin } from '$lib/validate';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, cookies }) => {
  if (locals.viewer) redirect(303, '/');
  const notice = cookies.get('consentome_notice') ?? null;
  if (notice) cookies.delete('consentome_notice', { path: '/' });
  return { expired: notice === 'expired' };
};

export const actions: Actions = {
  default: async ({ request, cookies, fetch, url }) => {
    const form = await request.formData();
    const email = String(form.get('email') ?? '');
    const password = String(form.get('password') ?? '');
    const errors = validateLogin(email, password);
    if (Object.keys(errors).length) return fail(400, { email, errors, message: null });
    try {
      const login = await mutate(fetch, null, Login, { email, password });
      if (!login.ok)
        return fail(statusOf(login.code), { email, errors: {}, message: login.message });
      setSessionCookie(
        cookies,
        login.data.token,
        new Date(login.data.expiresAt),
        url.protocol === 'https:',
      );
    } catch (error) {
      const message = error instanceof ApiRequestError ? error.message : 'Unexpected error.';
      return fail(502, { email, errors: {}, message });
    }
    redirect(303, '/');
  },
};
