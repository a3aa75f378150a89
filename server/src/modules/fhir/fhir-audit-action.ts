/** The FHIR AuditEvent.action codes (http://hl7.org/fhir/audit-event-action). */
export const FHIR_AUDIT_ACTIONS = ['C', 'R', 'U', 'D', 'E'] as const;
export type FhirAuditAction = (typeof FHIR_AUDIT_ACTIONS)[number];

/**
 * Our actions are dotted `domain.verb`; the verb (last segment) decides the FHIR action.
 * Verbs not listed (login, logout, login_failed, verify, …) are E (execute): they run an
 * operation rather than touch one record. Withdrawal is D: it ends the participant's consent
 * as a whole (every scope denied, the record marked withdrawn), which readers of an audit
 * trail expect to find among deletions, not among routine preference updates.
 */
export const VERBS_BY_ACTION: Record<Exclude<FhirAuditAction, 'E'>, readonly string[]> = {
  C: ['create', 'register', 'enrol', 'import', 'ingest', 'issue'],
  // An export including a participant, or its download, discloses their data: a read.
  R: ['read', 'list', 'count', 'query', 'include', 'download'],
  U: ['update', 'set', 'attach', 'answer'],
  D: ['withdraw', 'delete', 'revoke', 'erase'],
};

/** The FHIR action code of one of our audit actions. */
export function fhirAuditAction(action: string): FhirAuditAction {
  const verb = action.slice(action.lastIndexOf('.') + 1);
  for (const [code, verbs] of Object.entries(VERBS_BY_ACTION))
    if (verbs.includes(verb)) return code as FhirAuditAction;
  return 'E';
}
