import { fail, redirect } from '@sveltejs/kit';
import { graphql } from '$lib/graphql/graphql';
import { signedIn } from '$lib/server/guard';
import { loadOrFail } from '$lib/server/load';
import { Refusal, mutationAction } from '$lib/server/mutate';
import { PERMISSIONS, formField, readDatasetForm, validateDataset } from '$lib/dataset-form';
import type { Actions, PageServerLoad } from './$types';

const DuoTerms = graphql(`
  query DuoTerms { duoTerms { code id label plain } geographicRegions { code name } }
`);

export const load: PageServerLoad = async ({ locals, fetch }) => {
  const { token } = signedIn(locals);
  const { duoTerms, geographicRegions } = await loadOrFail(fetch, token, DuoTerms, {});
  const permissions = PERMISSIONS.flatMap((code) => duoTerms.filter((t) => t.code === code));
  const modifiers = duoTerms.filter((t) => !(PERMISSIONS as readonly string[]).includes(t.code));
  return { permissions, modifiers, regions: geographicRegions };
};

const RegisterDataset = graphql(
  `
    mutation RegisterDataset($input: RegisterDatasetInput!) { registerDataset(input: $input) {
    ... on MutationRegisterDatasetSuccess { data { id } } ...Refusal } }
  `,
  [Refusal],
);

export const actions: Actions = {
  default: async ({ locals, fetch, request }) => {
    const { token } = signedIn(locals);
    const values = readDatasetForm(await request.formData());
    const { errors, input } = validateDataset(values, null);
    if (Object.keys(errors).length)
      return fail(400, { values, errors, message: 'Please correct the fields marked below.' });
    const result = await mutationAction(
      fetch,
      token,
      RegisterDataset,
      { input },
      {
        kept: { values },
        fieldName: formField,
        done: (data) => ({ id: data.id }),
      },
    );
    if ('id' in result) redirect(303, `/datasets/${result.id}?registered=1`);
    return result;
  },
};
