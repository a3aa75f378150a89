import { graphql } from '$lib/graphql/graphql';
import { signedIn } from '$lib/server/guard';
import { loadOrFail } from '$lib/server/load';
import type { PageServerLoad } from './$types';

const AuthorisedPatients = graphql(`
  query AuthorisedPatients { authorisedPatients { pseudonym canRead canAppend endsAt } }
`);

export const load: PageServerLoad = async ({ locals, fetch }) => {
  const { token } = signedIn(locals);
  const { authorisedPatients } = await loadOrFail(fetch, token, AuthorisedPatients, {});
  return { patients: authorisedPatients };
};
