import { mayAct } from '$lib/access';
import { graphql } from '$lib/graphql/graphql';
import { signedIn } from '$lib/server/guard';
import { loadOrFail } from '$lib/server/load';
import type { PageServerLoad } from './$types';

const Studies = graphql(`
  query Studies { studies { id title status createdAt submittedAt purpose { primary } match {
  decision } grant { id status expiresAt } } }
`);

export const load: PageServerLoad = async ({ locals, fetch }) => {
  const { viewer, token } = signedIn(locals);
  const { studies } = await loadOrFail(fetch, token, Studies, {});
  return { studies, canCreate: mayAct('/studies/new', viewer.role, 'create') };
};
