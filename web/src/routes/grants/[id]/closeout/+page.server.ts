import { graphql } from '$lib/graphql/graphql';
import { signedIn } from '$lib/server/guard';
import { loadGrantOrFail } from '$lib/server/grant-query';
import { Refusal, mutationAction } from '$lib/server/mutate';
import type { Actions, PageServerLoad } from './$types';

const GrantCloseout = graphql(`
  query GrantCloseout($id: ID!) { grant(id: $id) { id status issuedAt study { title } closeout {
  destroyedOn attestedAt countersignedAt } } }
`);

export const load: PageServerLoad = async ({ locals, fetch, params }) => {
  const { token } = signedIn(locals);
  const { grant } = await loadGrantOrFail(fetch, token, GrantCloseout, params.id);
  return { grant, today: new Date().toISOString().slice(0, 10) };
};

const CloseOutGrant = graphql(
  `
    mutation CloseOutGrant($input: CloseOutGrantInput!) { closeOutGrant(input: $input) { ... on
    MutationCloseOutGrantSuccess { data { destroyedOn } } ...Refusal } }
  `,
  [Refusal],
);

export const actions: Actions = {
  /** The investigator's attestation that every copy of the data was destroyed. */
  default: async ({ locals, fetch, params, request }) => {
    const form = await request.formData();
    const values = {
      destroyedOn: String(form.get('destroyedOn') ?? ''),
      statement: String(form.get('statement') ?? ''),
    };
    return mutationAction(
      fetch,
      signedIn(locals).token,
      CloseOutGrant,
      {
        input: {
          grantId: params.id,
          ...values,
          attestDestroyed: form.get('attestDestroyed') === 'on',
        },
      },
      {
        kept: { values },
        done: () => ({
          notice: 'Attested. The grant is closed out; your signing official will countersign.',
        }),
      },
    );
  },
};
