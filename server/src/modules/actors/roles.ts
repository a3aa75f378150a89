/** The roles a user can hold. One role per account keeps the policy matrix auditable. */
export const ROLES = [
  'participant',
  'researcher',
  'ethics_board',
  'steward',
  'admin',
  'consent_coordinator',
  // Treats participants; reads and appends to a record only while its participant authorises it.
  'clinician',
  // Signs for an institution: approves its researchers' access requests before any committee sees
  // them, accepts the committees' data use agreements and issues library cards.
  'signing_official',
] as const;

/** A user's role. */
export type Role = (typeof ROLES)[number];

/** True when `value` names a role. */
export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
