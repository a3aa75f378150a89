import { graphql } from '$lib/graphql/graphql';
import { verifyAuditAction } from '$lib/server/audit-verify';
import { signedIn } from '$lib/server/guard';
import { loadOrFail } from '$lib/server/load';
import { readAuditFilter, validateAuditFilter } from '$lib/audit-filter';
import { ActivityFields, ExplorerEventFields, FacetsFields } from './audit-types';
import type { Actions, PageServerLoad } from './$types';

/** Events per page; one more is asked for to learn whether an older page exists. */
const PAGE_SIZE = 50;

const AuditFacets = graphql(
  `
    query AuditFacets { auditFacets { ...FacetsFields } }
  `,
  [FacetsFields],
);

/** One request: the API audits each of the three reads, in one transaction each. */
const AuditExplorer = graphql(
  `
    query AuditExplorer($filter: AuditFilter, $page: AuditFilter, $bucket: AuditBucket) {
    auditFacets { ...FacetsFields } auditEvents(filter: $page) { ...ExplorerEventFields }
    auditActivity(filter: $filter, bucket: $bucket) { ...ActivityFields } }
  `,
  [FacetsFields, ExplorerEventFields, ActivityFields],
);

export const load: PageServerLoad = async ({ locals, fetch, url }) => {
  const { token } = signedIn(locals);
  const values = readAuditFilter(url.searchParams);
  const { errors, filter, bucket } = validateAuditFilter(values);
  const before = Number(url.searchParams.get('before') ?? '');
  const beforeSeq = Number.isSafeInteger(before) && before > 0 ? before : null;
  const base = { values, errors, beforeSeq, pageSize: PAGE_SIZE };
  if (Object.keys(errors).length) {
    // A bad filter in the URL (typed by hand, or sent without JavaScript): show the form with
    // its errors and the pickers, but read no events with a filter nobody meant.
    const { auditFacets } = await loadOrFail(fetch, token, AuditFacets, {});
    return { ...base, facets: auditFacets, events: [], hasOlder: false, activity: null };
  }
  const data = await loadOrFail(fetch, token, AuditExplorer, {
    filter,
    page: { ...filter, limit: PAGE_SIZE + 1, ...(beforeSeq ? { beforeSeq } : {}) },
    bucket,
  });
  return {
    ...base,
    facets: data.auditFacets,
    events: data.auditEvents.slice(0, PAGE_SIZE),
    hasOlder: data.auditEvents.length > PAGE_SIZE,
    activity: data.auditActivity,
  };
};

export const actions: Actions = { verify: verifyAuditAction };
