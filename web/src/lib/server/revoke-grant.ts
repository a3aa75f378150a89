import { fail } from '@sveltejs/kit';
import { graphql } from '$lib/graphql/graphql';
import { signedIn } from './guard';
import { Refusal, mutationAction } from './mutate';

const RevokeGrant = graphql(
  `
    mutation RevokeGrant($id: ID!, $reason: String!) { revokeGrant(grantId: $id, reason:
    $reason) { ... on MutationRevokeGrantSuccess { data { status } } ...Refusal } }
  `,
  [Refusal],
);

/**
 * The board's "revoke grant" form action, shared by the grant page and the review page: checks
 * the reason as the API does (at least 10 characters) and answers the typed outcome.
 */
export async function revokeGrantAction(
  locals: App.Locals,
  fetchFn: typeof fetch,
  request: Request,
  grantId: string,
) {
  const { token } = signedIn(locals);
  const reason = String((await request.formData()).get('reason') ?? '').trim();
  if (reason.length < 10)
    return fail(400, {
      action: 'revoke',
      message: 'Tell the researcher why the grant ends.',
      errors: { reason: 'Write at least 10 characters.' },
      errorType: 'ValidationError',
    });
  return mutationAction(
    fetchFn,
    token,
    RevokeGrant,
    { id: grantId, reason },
    {
      kept: { action: 'revoke' },
      done: (data) => ({ done: data.status }),
    },
  );
}
