import { apiText } from '$lib/server/api';
import { messageOf, requireRole } from '$lib/server/guard';
import type { Purpose } from '$lib/study-labels';
import { TIMELINE_EVENT_FIELDS, type TimelineEvent } from '$lib/timeline-event';
import type { PageServerLoad } from './$types';

/** One study that asked for or used the participant's data. */
export interface DataUseView {
  decision: 'PERMIT' | 'DENY' | null;
  requestStatus: 'PENDING' | 'ANSWERED' | 'CLOSED' | null;
  inGrant: boolean;
  grantExpiresAt: string | null;
  study: {
    id: string;
    title: string;
    laySummary: string;
    status: string;
    purpose: Purpose;
    decisionRationale: string | null;
    submittedAt: string | null;
    decidedAt: string | null;
  };
  exports: { id: string; createdAt: string; sampleId: string }[];
  events: TimelineEvent[];
}

export const load: PageServerLoad = async ({ locals, fetch }) => {
  const { token } = requireRole(locals, ['participant'], 'your data use (participants only)');
  try {
    const data = await apiText<{
      myDataUse: DataUseView[];
      duoTerms: { code: string; plain: string }[];
    }>(
      fetch,
      `{ myDataUse { decision requestStatus inGrant grantExpiresAt
          study { id title laySummary status decisionRationale submittedAt decidedAt
            purpose { primary diseases commercial sensitive otherText } }
          exports { id createdAt sampleId }
          events { ${TIMELINE_EVENT_FIELDS} } }
         duoTerms { code plain } }`,
      {},
      token,
    );
    return {
      entries: data.myDataUse,
      duoPlain: Object.fromEntries(data.duoTerms.map((t) => [t.code, t.plain])),
      loadError: null,
    };
  } catch (e) {
    return {
      entries: [] as DataUseView[],
      duoPlain: {} as Record<string, string>,
      loadError: messageOf(e),
    };
  }
};
