import { redirect } from '@sveltejs/kit';
import { graphql } from '$lib/graphql/graphql';
import { api } from '$lib/server/api';
import { clearSessionCookie } from '$lib/server/session';
import type { Actions, PageServerLoad } from './$types';

const Logout = graphql(`
  mutation Logout { logout }
`);

export const load: PageServerLoad = () => redirect(303, '/');

export const actions: Actions = {
  default: async ({ locals, cookies, fetch, url }) => {
    if (locals.token) {
      // Ending the session at the API matters more than the cookie: a copied token stops working too.
      await api(fetch, locals.token, Logout, {}).catch(() => undefined);
    }
    clearSessionCookie(cookies, url.protocol === 'https:');
    redirect(303, '/login');
  },
};
