import { redirect } from '@sveltejs/kit';
import { apiText } from '$lib/server/api';
import { clearSessionCookie } from '$lib/server/session';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => redirect(303, '/');

export const actions: Actions = {
  default: async ({ locals, cookies, fetch, url }) => {
    if (locals.token) {
      // Ending the session at the API matters more than the cookie: a copied token stops working too.
      await apiText(fetch, `mutation { logout }`, {}, locals.token).catch(() => undefined);
    }
    clearSessionCookie(cookies, url.protocol === 'https:');
    redirect(303, '/login');
  },
};
