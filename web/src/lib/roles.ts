import type { EnumOf } from './graphql/graphql';

/** An account's role, as the API's `Role` enum names it. */
export type Role = EnumOf<'Role'>;

const LABELS = {
  participant: 'Participant',
  researcher: 'Researcher',
  ethics_board: 'Ethics board',
  steward: 'Data steward',
  admin: 'Administrator',
  consent_coordinator: 'Consent coordinator',
  clinician: 'Clinician',
  signing_official: 'Signing official',
} satisfies Record<Role, string>;

/**
 * How each role is named to people; a role the API adds fails the typecheck until named here.
 * Looked up by any string, since audit events also name `system` and `anonymous`.
 */
export const ROLE_LABELS: Partial<Record<string, string>> = LABELS;

/** The roles an account can hold, in the order forms offer them. */
export const ROLES = [
  'participant',
  'researcher',
  'ethics_board',
  'steward',
  'admin',
  'consent_coordinator',
  'clinician',
  'signing_official',
] as const satisfies readonly Role[];

/** True when `value` is one of the account roles. */
export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
