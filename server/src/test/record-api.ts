/**
 * The GraphQL a participant's clinicians and care teams are tested through: the same documents
 * and payload shape for every record-access test.
 */

/** The error branches of a union payload, with its `__typename`. */
export const PAYLOAD_ERRORS = `__typename ... on Error { code message } ... on ValidationError { fieldErrors { field message } }`;

/** A participant revokes a clinician's (or care team's) authorisation `$id`. */
export const REVOKE_CLINICIAN = `mutation($id: ID!) { revokeClinician(authorisationId: $id) {
  ${PAYLOAD_ERRORS} ... on MutationRevokeClinicianSuccess { data { id revokedAt } } } }`;

/** A clinician appends condition `$i` to the record of the patient with pseudonym `$p`. */
export const APPEND_CONDITION = `mutation($p: String!, $i: RecordConditionInput!) { appendConditionForPatient(pseudonym: $p, input: $i) {
  ${PAYLOAD_ERRORS} ... on MutationAppendConditionForPatientSuccess { data { id } } } }`;

/** A record-access payload as these tests read it: success data or a typed error. */
export interface RecordPayload {
  __typename: string;
  code?: string;
  message?: string;
  fieldErrors?: { field: string }[];
  data?: unknown;
}
