import { apiText } from '$lib/server/api';
import { messageOf, requireRole } from '$lib/server/guard';
import type { PageServerLoad } from './$types';

/** A study waiting for the board, as the queue lists it. */
export interface QueuedStudy {
  id: string;
  title: string;
  status: string;
  submittedAt: string;
  owner: { displayName: string; institution: string | null };
  purpose: { primary: string };
  match: { decision: string } | null;
  cohort: {
    permitted: { count: number | null; display: string };
    ask: { count: number | null; display: string };
    excluded: { count: number | null; display: string };
  } | null;
  votes: { mine: boolean; vote: string }[];
}

/** A decided study, for the board to find its grant again. */
export interface DecidedStudy {
  id: string;
  title: string;
  status: string;
  decidedAt: string | null;
  grant: { id: string; status: string; expiresAt: string } | null;
}

export const load: PageServerLoad = async ({ locals, fetch }) => {
  const { token } = requireRole(locals, ['ethics_board', 'admin'], 'the review queue');
  try {
    const data = await apiText<{ reviewQueue: QueuedStudy[]; studies: DecidedStudy[] }>(
      fetch,
      `{ reviewQueue { id title status submittedAt owner { displayName institution }
          purpose { primary } match { decision }
          cohort { permitted { count display } ask { count display } excluded { count display } }
          votes { mine vote } }
         studies(statuses: [APPROVED, REJECTED, REVOKED, EXPIRED, CLOSED_OUT]) {
          id title status decidedAt grant { id status expiresAt } } }`,
      {},
      token,
    );
    return { queue: data.reviewQueue, decided: data.studies, now: Date.now(), loadError: null };
  } catch (e) {
    return {
      queue: [] as QueuedStudy[],
      decided: [] as DecidedStudy[],
      now: Date.now(),
      loadError: messageOf(e),
    };
  }
};
