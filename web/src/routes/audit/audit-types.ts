/** An audit event as the explorer lists it. */
export interface ExplorerEvent {
  seq: number;
  occurredAt: string;
  actorId: string | null;
  actorRole: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  participantPseudonym: string | null;
  hash: string;
}

/** Events over time, counted per action group (the API's AuditActivity). */
export interface Activity {
  bucket: 'HOUR' | 'DAY';
  from: string;
  to: string;
  groups: string[];
  total: number;
  buckets: { start: string; total: number; counts: { group: string; count: number }[] }[];
}

/** What the filter's pickers offer. */
export interface Facets {
  actions: string[];
  targetTypes: string[];
  actors: { id: string; displayName: string; role: string }[];
}

/** The event fields the list and the CSV export read. */
export const EVENT_FIELDS = `seq occurredAt actorId actorRole action targetType targetId
  participantPseudonym hash`;
