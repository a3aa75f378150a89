import { mayAct } from '$lib/access';
import { graphql } from '$lib/graphql/graphql';
import { signedIn } from '$lib/server/guard';
import { loadOrFail } from '$lib/server/load';
import type { PageServerLoad } from './$types';

const Datasets = graphql(`
  query Datasets { datasets { id name description steward { displayName } dataUse { permission
  diseases terms { code label plain } } ingests { kind } } }
`);

export const load: PageServerLoad = async ({ locals, fetch }) => {
  const { viewer, token } = signedIn(locals);
  const { datasets } = await loadOrFail(fetch, token, Datasets, {});
  return { datasets, canRegister: mayAct('/datasets/new', viewer.role, 'default') };
};
