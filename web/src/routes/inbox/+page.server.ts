import { fail } from '@sveltejs/kit';
import { apiText } from '$lib/server/api';
import { messageOf, requireRole } from '$lib/server/guard';
import { mutate, statusOf } from '$lib/server/mutate';
import type { Purpose } from '$lib/study-labels';
import type { Actions, PageServerLoad } from './$types';

const ROLES = ['participant'] as const;
const WHAT = 'study requests (participants only)';

/** A study's request to a participant, as the inbox shows it. */
export interface ConsentRequestView {
  id: string;
  status: 'PENDING' | 'ANSWERED' | 'CLOSED';
  decision: 'PERMIT' | 'DENY' | null;
  createdAt: string;
  answeredAt: string | null;
  study: { id: string; title: string; laySummary: string; status: string; purpose: Purpose };
}

export const load: PageServerLoad = async ({ locals, fetch }) => {
  const { token } = requireRole(locals, ROLES, WHAT);
  try {
    const data = await apiText<{
      myConsentRequests: ConsentRequestView[];
      duoTerms: { code: string; plain: string }[];
    }>(
      fetch,
      `{ myConsentRequests { id status decision createdAt answeredAt
           study { id title laySummary status purpose { primary diseases commercial sensitive otherText } } }
         duoTerms { code plain } }`,
      {},
      token,
    );
    const order = { PENDING: 0, ANSWERED: 1, CLOSED: 2 };
    return {
      requests: [...data.myConsentRequests].sort((a, b) => order[a.status] - order[b.status]),
      duoPlain: Object.fromEntries(data.duoTerms.map((t) => [t.code, t.plain])),
      loadError: null,
    };
  } catch (e) {
    return {
      requests: [] as ConsentRequestView[],
      duoPlain: {} as Record<string, string>,
      loadError: messageOf(e),
    };
  }
};

export const actions: Actions = {
  /** Answers a request, or changes the answer while the study runs. */
  answer: async ({ locals, fetch, request }) => {
    const { token } = requireRole(locals, ROLES, WHAT);
    const form = await request.formData();
    const requestId = String(form.get('requestId') ?? '');
    const decision = String(form.get('decision') ?? '');
    if (!requestId || (decision !== 'PERMIT' && decision !== 'DENY'))
      return fail(400, { requestId, message: 'Choose yes or no.' });
    try {
      const r = await mutate<{ decision: string }>(
        fetch,
        token,
        {
          field: 'answerConsentRequest',
          args: 'requestId: $id, decision: $decision',
          vars: '$id: ID!, $decision: StudyDecision!',
          selection: 'decision',
        },
        { id: requestId, decision },
      );
      if (!r.ok) return fail(statusOf(r.code), { requestId, message: r.message });
      return { requestId, answered: r.data.decision };
    } catch (e) {
      return fail(502, { requestId, message: messageOf(e) });
    }
  },
};
