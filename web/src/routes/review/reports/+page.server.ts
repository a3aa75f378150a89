import { signedIn } from '$lib/server/guard';
import { loadOrFail } from '$lib/server/load';
import { DacReports } from './report-query';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, fetch }) => {
  const { token } = signedIn(locals);
  return { reports: (await loadOrFail(fetch, token, DacReports, {})).dacReports };
};
