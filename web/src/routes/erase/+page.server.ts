import { fail, redirect } from '@sveltejs/kit';
import { graphql } from '$lib/graphql/graphql';
import { signedIn } from '$lib/server/guard';
import { loadOrFail } from '$lib/server/load';
import { Refusal, mutate } from '$lib/server/mutate';
import { clearSessionCookie } from '$lib/server/session';
import type { Actions, PageServerLoad } from './$types';

// Step one: opening this page asks for erasure (audited) and shows what will and will not go.
const ErasurePlan = graphql(`
  query ErasurePlan { erasurePlan { confirmationPhrase willErase cannotErase { what why } } }
`);

const EraseMe = graphql(
  `
    mutation EraseMe($confirmation: String!) { eraseParticipant(confirmation: $confirmation) {
    ... on MutationEraseParticipantSuccess { data { erasedAt auditSeq auditHash phenotypesDeleted
    genotypeCallsDeleted studiesAskedToDelete } }
    ...Refusal } }
  `,
  [Refusal],
);

export const load: PageServerLoad = async ({ locals, fetch }) => {
  const { token } = signedIn(locals);
  const { erasurePlan } = await loadOrFail(fetch, token, ErasurePlan, {});
  return { plan: erasurePlan };
};

export const actions: Actions = {
  // Step two: the typed phrase confirms. The account is gone afterwards, so the session cookie
  // goes too and the receipt is shown on a public page.
  default: async ({ locals, fetch, request, cookies, url }) => {
    const { token } = signedIn(locals);
    const confirmation = String((await request.formData()).get('confirmation') ?? '');
    let outcome;
    try {
      outcome = await mutate(fetch, token, EraseMe, { confirmation });
    } catch {
      return fail(502, { message: 'The Consentome API is not reachable. Nothing was erased.' });
    }
    if (!outcome.ok)
      return fail(400, {
        message: outcome.fieldErrors.confirmation ?? outcome.message,
        confirmation,
      });
    clearSessionCookie(cookies, url.protocol === 'https:');
    const r = outcome.data;
    const receipt = new URLSearchParams({
      at: r.erasedAt,
      seq: String(r.auditSeq),
      hash: r.auditHash,
      phenotypes: String(r.phenotypesDeleted),
      calls: String(r.genotypeCallsDeleted),
      asked: String(r.studiesAskedToDelete.length),
    });
    redirect(303, `/erased?${receipt}`);
  },
};
