import { apiText } from '$lib/server/api';
import { verifyAuditAction } from '$lib/server/audit-verify';
import { messageOf, requireRole } from '$lib/server/guard';
import { readAuditFilter, validateAuditFilter } from '$lib/audit-filter';
import { EVENT_FIELDS, type Activity, type ExplorerEvent, type Facets } from './audit-types';
import type { Actions, PageServerLoad } from './$types';

/** Events per page; one more is asked for to learn whether an older page exists. */
const PAGE_SIZE = 50;

const EMPTY_FACETS: Facets = { actions: [], targetTypes: [], actors: [] };

export const load: PageServerLoad = async ({ locals, fetch, url }) => {
  const { token } = requireRole(locals, ['ethics_board', 'admin'], 'the audit explorer');
  const values = readAuditFilter(url.searchParams);
  const { errors, filter, bucket } = validateAuditFilter(values);
  const before = Number(url.searchParams.get('before') ?? '');
  const beforeSeq = Number.isSafeInteger(before) && before > 0 ? before : null;
  const base = { values, errors, beforeSeq, pageSize: PAGE_SIZE };
  if (Object.keys(errors).length) {
    // A bad filter in the URL (typed by hand, or sent without JavaScript): show the form with
    // its errors and the pickers, but read no events with a filter nobody meant.
    try {
      const { auditFacets } = await apiText<{ auditFacets: Facets }>(
        fetch,
        `{ auditFacets { actions targetTypes actors { id displayName role } } }`,
        {},
        token,
      );
      return {
        ...base,
        facets: auditFacets,
        events: [],
        hasOlder: false,
        activity: null,
        loadError: null,
      };
    } catch (e) {
      return {
        ...base,
        facets: EMPTY_FACETS,
        events: [],
        hasOlder: false,
        activity: null,
        loadError: messageOf(e),
      };
    }
  }
  try {
    // One request: the API audits each of the three reads, in one transaction each.
    const data = await apiText<{
      auditFacets: Facets;
      auditEvents: ExplorerEvent[];
      auditActivity: Activity;
    }>(
      fetch,
      `query($filter: AuditFilter, $page: AuditFilter, $bucket: AuditBucket) {
        auditFacets { actions targetTypes actors { id displayName role } }
        auditEvents(filter: $page) { ${EVENT_FIELDS} }
        auditActivity(filter: $filter, bucket: $bucket) {
          bucket from to groups total buckets { start total counts { group count } }
        }
      }`,
      {
        filter,
        page: { ...filter, limit: PAGE_SIZE + 1, ...(beforeSeq ? { beforeSeq } : {}) },
        bucket,
      },
      token,
    );
    return {
      ...base,
      facets: data.auditFacets,
      events: data.auditEvents.slice(0, PAGE_SIZE),
      hasOlder: data.auditEvents.length > PAGE_SIZE,
      activity: data.auditActivity,
      loadError: null,
    };
  } catch (e) {
    return {
      ...base,
      facets: EMPTY_FACETS,
      events: [] as ExplorerEvent[],
      hasOlder: false,
      activity: null,
      loadError: messageOf(e),
    };
  }
};

export const actions: Actions = { verify: verifyAuditAction };
