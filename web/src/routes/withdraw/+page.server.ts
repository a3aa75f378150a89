import { fail } from '@sveltejs/kit';
import { apiText } from '$lib/server/api';
import { messageOf, requireRole } from '$lib/server/guard';
import type { Actions, PageServerLoad } from './$types';

const ROLES = ['participant'] as const;
const WHAT = 'withdrawal (participants only)';

export const load: PageServerLoad = async ({ locals, fetch }) => {
  const { token } = requireRole(locals, ROLES, WHAT);
  try {
    const { myParticipant } = await apiText<{
      myParticipant: { pseudonym: string; status: string; withdrawnAt: string | null } | null;
    }>(fetch, `{ myParticipant { pseudonym status withdrawnAt } }`, {}, token);
    return { participant: myParticipant, loadError: null };
  } catch (e) {
    return { participant: null, loadError: messageOf(e) };
  }
};

type Typed =
  | {
      __typename: 'MutationWithdrawConsentSuccess';
      data: { withdrawnAt: string; studiesThatReceivedData: string[] };
    }
  | { __typename: string; message: string };

export const actions: Actions = {
  default: async ({ locals, fetch, request }) => {
    const { token } = requireRole(locals, ROLES, WHAT);
    const form = await request.formData();
    if (form.get('confirm') !== 'yes')
      return fail(400, {
        errors: { confirm: 'Tick the box to confirm that you want to withdraw.' },
        message: null,
      });
    try {
      const { withdrawConsent: r } = await apiText<{ withdrawConsent: Typed }>(
        fetch,
        `mutation { withdrawConsent(confirm: true) {
          __typename
          ... on MutationWithdrawConsentSuccess { data { withdrawnAt studiesThatReceivedData } }
          ... on Error { message }
        } }`,
        {},
        token,
      );
      if (!('data' in r)) return fail(400, { errors: {}, message: r.message });
      return { withdrawal: r.data };
    } catch (e) {
      return fail(502, { errors: {}, message: messageOf(e) });
    }
  },
};
