import { graphql, type ResultOf } from '$lib/graphql/graphql';

/** The event fields the list and the CSV export read. */
export const ExplorerEventFields = graphql(`
  fragment ExplorerEventFields on AuditEvent { seq occurredAt actorId actorRole action
  targetType targetId participantPseudonym hash }
`);
/** An audit event as the explorer lists it. */
export type ExplorerEvent = ResultOf<typeof ExplorerEventFields>;

/** One page of events, newest first, for the list and the CSV export. */
export const AuditEventsPage = graphql(
  `
    query AuditEventsPage($filter: AuditFilter) { auditEvents(filter: $filter) {
    ...ExplorerEventFields } }
  `,
  [ExplorerEventFields],
);

/** What the filter's pickers offer. */
export const FacetsFields = graphql(`
  fragment FacetsFields on AuditFacets { actions targetTypes actors { id displayName role } }
`);
export type Facets = ResultOf<typeof FacetsFields>;

/** Events over time, counted per action group. */
export const ActivityFields = graphql(`
  fragment ActivityFields on AuditActivity { bucket from to groups total buckets { start total
  counts { group count } } }
`);
export type Activity = ResultOf<typeof ActivityFields>;
