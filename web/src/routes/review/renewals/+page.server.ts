import { graphql } from '$lib/graphql/graphql';
import { signedIn } from '$lib/server/guard';
import { loadOrFail } from '$lib/server/load';
import { Refusal, mutationAction } from '$lib/server/mutate';
import type { Actions, PageServerLoad } from './$types';

const Renewals = graphql(`
  query RenewalsToReview { renewalsToReview { reports { id dueAt workDone publications incidents
  submittedAt grant { id study { title } expiresAt } } overdue { id renewalDueAt study { title } }
  upcoming { id renewalDueAt study { title } } } }
`);

export const load: PageServerLoad = async ({ locals, fetch }) => {
  const { token } = signedIn(locals);
  return { renewals: (await loadOrFail(fetch, token, Renewals, {})).renewalsToReview };
};

const DecideRenewal = graphql(
  `
    mutation DecideRenewal($id: ID!, $decision: RenewalDecision!, $note: String) {
    decideRenewal(renewalId: $id, decision: $decision, note: $note) { ... on
    MutationDecideRenewalSuccess { data { status } } ...Refusal } }
  `,
  [Refusal],
);

const RevokeMissed = graphql(
  `
    mutation RevokeForMissedRenewal($id: ID!) { revokeForMissedRenewal(grantId: $id) { ... on
    MutationRevokeForMissedRenewalSuccess { data { status } } ...Refusal } }
  `,
  [Refusal],
);

export const actions: Actions = {
  /** Renews a grant on its report, or not (with a reason). */
  decide: async ({ locals, fetch, request }) => {
    const form = await request.formData();
    const id = String(form.get('renewalId') ?? '');
    const decision = form.get('decision') === 'NOT_RENEW' ? 'NOT_RENEW' : 'RENEW';
    const note = String(form.get('note') ?? '').trim() || null;
    return mutationAction(
      fetch,
      signedIn(locals).token,
      DecideRenewal,
      { id, decision, note },
      {
        kept: { renewalId: id },
        done: (d) => ({
          notice: d.status === 'RENEWED' ? 'Renewed for a year.' : 'Not renewed: grant revoked.',
        }),
      },
    );
  },
  /** Revokes a grant that missed its renewal. */
  revoke: async ({ locals, fetch, request }) => {
    const id = String((await request.formData()).get('grantId') ?? '');
    return mutationAction(
      fetch,
      signedIn(locals).token,
      RevokeMissed,
      { id },
      { kept: { grantId: id }, done: () => ({ notice: 'The grant is revoked.' }) },
    );
  },
};
