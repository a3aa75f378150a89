import { apiText } from '$lib/server/api';
import { messageOf, requireRole } from '$lib/server/guard';
import type { PageServerLoad } from './$types';

export interface DatasetRow {
  id: string;
  name: string;
  description: string;
  dataUse: {
    permission: string;
    diseases: string[];
    terms: { code: string; label: string; plain: string }[];
  };
  steward: { displayName: string } | null;
  ingests: { kind: string }[];
}

export const load: PageServerLoad = async ({ locals, fetch }) => {
  const { viewer, token } = requireRole(
    locals,
    ['researcher', 'ethics_board', 'steward', 'admin'],
    'the dataset list',
  );
  const canRegister = viewer.role === 'steward' || viewer.role === 'admin';
  try {
    const { datasets } = await apiText<{ datasets: DatasetRow[] }>(
      fetch,
      `{ datasets { id name description steward { displayName }
          dataUse { permission diseases terms { code label plain } } ingests { kind } } }`,
      {},
      token,
    );
    return { datasets, canRegister, loadError: null };
  } catch (e) {
    return { datasets: [] as DatasetRow[], canRegister, loadError: messageOf(e) };
  }
};
