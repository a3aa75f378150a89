import { graphql } from '$lib/graphql/graphql';
import { signedIn } from '$lib/server/guard';
import { loadOrFail } from '$lib/server/load';
import { Refusal, mutationAction } from '$lib/server/mutate';
import type { Actions, PageServerLoad } from './$types';

const Agreements = graphql(`
  query AgreementsPage { dacs { id name mayPublishAgreement agreementVersions { id version
  publishedAt textSha256 text } } }
`);

export const load: PageServerLoad = async ({ locals, fetch }) => {
  const { token, viewer } = signedIn(locals);
  const { dacs } = await loadOrFail(fetch, token, Agreements, {});
  // The committees whose agreement the viewer may publish, as the API's rule says: all of them
  // for an administrator, those they chair for a board member.
  return { dacs: dacs.filter((d) => d.mayPublishAgreement), isAdmin: viewer.role === 'admin' };
};

const Publish = graphql(
  `
    mutation PublishAgreement($dacId: ID!, $text: String!) { publishDataUseAgreement(dacId:
    $dacId, text: $text) { ... on MutationPublishDataUseAgreementSuccess { data { dacName version
    } } ...Refusal } }
  `,
  [Refusal],
);

export const actions: Actions = {
  /** Publishes the next version of a committee's agreement (its holders are told by the API). */
  publish: async ({ locals, fetch, request }) => {
    const { token } = signedIn(locals);
    const form = await request.formData();
    const dacId = String(form.get('dacId') ?? '');
    return mutationAction(
      fetch,
      token,
      Publish,
      { dacId, text: String(form.get('text') ?? '').trim() },
      {
        kept: { dacId },
        fieldName: () => 'text',
        done: (d) => ({
          notice: `${d.dacName} now asks for version ${d.version}; those who must accept it are told.`,
        }),
      },
    );
  },
};
