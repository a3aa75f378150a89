import { fail } from '@sveltejs/kit';
import { graphql } from '$lib/graphql/graphql';
import { signedIn } from '$lib/server/guard';
import { loadOrFail } from '$lib/server/load';
import { SigningStatementFields } from '$lib/graphql/fragments';
import { Refusal, mutationAction } from '$lib/server/mutate';
import { myPasskeysOrNone } from '$lib/server/passkeys';
import { notRecorded, signatureOf, statementAction } from '$lib/server/signature';
import { m } from '$lib/paraglide/messages';
import type { Actions, PageServerLoad } from './$types';

const MyRecord = graphql(`
  query MyRecord { myParticipant { pseudonym status withdrawnAt } }
`);

const WithdrawalStatement = graphql(
  `
    mutation WithdrawalStatement { signingStatementForWithdrawal {
    ... on MutationSigningStatementForWithdrawalSuccess { data { ...SigningStatementFields } }
    ...Refusal } }
  `,
  [Refusal, SigningStatementFields],
);

const WithdrawConsent = graphql(
  `
    mutation WithdrawConsent($signature: ConsentSignatureInput) {
    withdrawConsent(confirm: true, signature: $signature) {
    ... on MutationWithdrawConsentSuccess { data { withdrawnAt studiesThatReceivedData } }
    ...Refusal } }
  `,
  [Refusal],
);

export const load: PageServerLoad = async ({ locals, fetch }) => {
  const { token } = signedIn(locals);
  const { myParticipant } = await loadOrFail(fetch, token, MyRecord, {});
  // An account without a participant record has nothing to withdraw, nor passkeys.
  const passkeys = myParticipant ? await myPasskeysOrNone(fetch, token) : [];
  return { participant: myParticipant, passkeys };
};

const notConfirmed = () =>
  fail(400, {
    errors: { confirm: m.withdraw_tick_box() },
    message: null,
  });

export const actions: Actions = {
  /** What the participant's passkey signs to withdraw (the browser asks before `withdraw`). */
  statement: async ({ locals, fetch, request }) => {
    const { token } = signedIn(locals);
    if ((await request.formData()).get('confirm') !== 'yes') return notConfirmed();
    return statementAction(fetch, token, WithdrawalStatement, {});
  },
  withdraw: async ({ locals, fetch, request }) => {
    const { token } = signedIn(locals);
    const form = await request.formData();
    if (form.get('confirm') !== 'yes') return notConfirmed();
    const signature = signatureOf(form);
    return mutationAction(
      fetch,
      token,
      WithdrawConsent,
      { signature },
      {
        kept: {},
        done: (data) => ({ withdrawal: data }),
        refusedMessage: signature ? notRecorded : undefined,
      },
    );
  },
};
