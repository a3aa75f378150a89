import { graphql } from '$lib/graphql/graphql';
import { StudyCountFields } from '$lib/graphql/fragments';
import { signedIn } from '$lib/server/guard';
import { loadOrFail } from '$lib/server/load';
import type { PageServerLoad } from './$types';

/** The studies waiting for the board, and the decided ones, to find their grants again. */
const ReviewQueue = graphql(
  `
    query ReviewQueue { reviewQueue { id title status submittedAt owner { displayName
    institution } purpose { primary } match { decision } cohort { permitted {
    ...StudyCountFields } ask { ...StudyCountFields } excluded { ...StudyCountFields } } votes {
    mine vote } } studies(statuses: [APPROVED, REJECTED, REVOKED, EXPIRED, CLOSED_OUT]) { id
    title status decidedAt grant { id status expiresAt } } }
  `,
  [StudyCountFields],
);

export const load: PageServerLoad = async ({ locals, fetch }) => {
  const { token } = signedIn(locals);
  const data = await loadOrFail(fetch, token, ReviewQueue, {});
  return { queue: data.reviewQueue, decided: data.studies, now: Date.now() };
};
