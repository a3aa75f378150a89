import { graphql } from '$lib/graphql/graphql';
import { signedIn } from '$lib/server/guard';
import { loadOrFail } from '$lib/server/load';
import { Refusal, mutationAction } from '$lib/server/mutate';
import type { Actions, PageServerLoad } from './$types';

const FormVersions = graphql(`
  query AdminConsentFormVersions { consentFormVersions { version title } }
`);

const RegisterFormVersion = graphql(
  `
    mutation RegisterConsentFormVersion($version: String!, $title: String!) {
    registerConsentFormVersion(version: $version, title: $title) {
    ... on MutationRegisterConsentFormVersionSuccess { data { version title } } ...Refusal } }
  `,
  [Refusal],
);

export const load: PageServerLoad = async ({ locals, fetch }) => {
  const { token } = signedIn(locals);
  const { consentFormVersions } = await loadOrFail(fetch, token, FormVersions, {});
  return { formVersions: consentFormVersions };
};

export const actions: Actions = {
  /** Registers a paper consent form version, so coordinators can record decisions made on it. */
  register: async ({ locals, fetch, request }) => {
    const { token } = signedIn(locals);
    const form = await request.formData();
    const version = String(form.get('version') ?? '').trim();
    const title = String(form.get('title') ?? '').trim();
    return mutationAction(
      fetch,
      token,
      RegisterFormVersion,
      { version, title },
      {
        kept: { version, title },
        done: (d) => ({ notice: `Form version ${d.version} is registered.` }),
      },
    );
  },
};
