import { fail, redirect } from '@sveltejs/kit';
import { ApiRequestError } from '$lib/server/api';
import { Login } from '$lib/server/login';
import { SignInProviders } from '$lib/server/institution-sign-in';
import { api } from '$lib/server/api';
import { mutate, statusOf } from '$lib/server/mutate';
import { keepOpenedSession } from '$lib/server/session';
import { validateLogin } from '$lib/validate';
import type { Actions, PageServerLoad } from './$types';

/** What the sign-in page says when an institution's sign-in came back refused. */
const INSTITUTION_MESSAGES: Record<string, string> = {
  FORBIDDEN:
    'Your institution signed you in, but your account waits for approval or cannot sign in this way.',
  CONFLICT:
    'An account with this e-mail already exists. Sign in with your password and link your institution on your account page.',
  API_UNREACHABLE: 'The Consentome API is not reachable. Is it running?',
};

export const load: PageServerLoad = async ({ locals, cookies, fetch, url }) => {
  if (locals.viewer) redirect(303, '/');
  const notice = cookies.get('consentome_notice') ?? null;
  if (notice) cookies.delete('consentome_notice', { path: '/' });
  const refused = url.searchParams.get('institution');
  const providers = await api(fetch, null, SignInProviders, {})
    .then((d) => d.signInProviders)
    .catch(() => []);
  return {
    expired: notice === 'expired',
    providers,
    institutionMessage: refused
      ? (INSTITUTION_MESSAGES[refused] ??
        'Signing in through your institution did not work. Please start again.')
      : null,
  };
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
      keepOpenedSession(cookies, url, login.data);
    } catch (error) {
      const message = error instanceof ApiRequestError ? error.message : 'Unexpected error.';
      return fail(502, { email, errors: {}, message });
    }
    redirect(303, '/');
  },
};
