import { redirect } from '@sveltejs/kit';
import { graphql } from '$lib/graphql/graphql';
import { clearActingFor } from '$lib/server/acting-for';
import { api } from '$lib/server/api';
import { clearSessionCookie } from '$lib/server/session';
import type { Actions, PageServerLoad } from './$types';

const SignOut = graphql(`
  mutation SignOut { signOut }
`);

export const load: PageServerLoad = () => redirect(303, '/');

export const actions: Actions = {
  default: async ({ locals, cookies, fetch, url }) => {
    let providerLogout: string | null = null;
    if (locals.token) {
      // Ending the session at the API matters more than the cookie: a copied token stops working too.
      providerLogout = await api(fetch, locals.token, SignOut, {})
        .then((d) => d.signOut)
        .catch(() => null);
    }
    clearSessionCookie(cookies, url.protocol === 'https:');
    clearActingFor(cookies, url.protocol === 'https:');
    // A session from an institution also ends there (RP-initiated logout), which returns here.
    redirect(303, providerLogout ?? '/login');
  },
};
