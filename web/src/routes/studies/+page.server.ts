import { apiText } from '$lib/server/api';
import { messageOf, requireRole } from '$lib/server/guard';
import type { PageServerLoad } from './$types';

/** A row of the studies list. */
export interface StudyRow {
  id: string;
  title: string;
  status: string;
  createdAt: string;
  submittedAt: string | null;
  purpose: { primary: string };
  match: { decision: string } | null;
  grant: { id: string; status: string; expiresAt: string } | null;
}

export const load: PageServerLoad = async ({ locals, fetch }) => {
  const { viewer, token } = requireRole(locals, ['researcher', 'ethics_board', 'admin'], 'studies');
  try {
    const { studies } = await apiText<{ studies: StudyRow[] }>(
      fetch,
      `{ studies { id title status createdAt submittedAt purpose { primary } match { decision }
         grant { id status expiresAt } } }`,
      {},
      token,
    );
    return { studies, canCreate: viewer.role === 'researcher', loadError: null };
  } catch (e) {
    return {
      studies: [] as StudyRow[],
      canCreate: viewer.role === 'researcher',
      loadError: messageOf(e),
    };
  }
};
