import type { OperationOutcome, OperationOutcomeIssue } from '@medplum/fhirtypes';
import { AppError } from '../../errors/app-errors.js';

/** The FHIR JSON media type (R4 §3.1.0.1.2). */
export const FHIR_JSON = 'application/fhir+json';

/** A FHIR JSON response. */
export function fhirJson(body: unknown, status = 200, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': `${FHIR_JSON}; charset=utf-8`, ...headers },
  });
}

/** An issue type (http://hl7.org/fhir/issue-type). */
export type IssueCode = OperationOutcomeIssue['code'];

/**
 * A request the FHIR layer refuses (bad search parameters, a resource it cannot accept). With
 * `issues`, the OperationOutcome lists each of them, so a client can fix every one at once;
 * otherwise it carries the message as its one issue.
 */
export class FhirRequestError extends Error {
  constructor(
    readonly status: number,
    readonly issueCode: IssueCode,
    message: string,
    readonly issues: OperationOutcomeIssue[] = [],
  ) {
    super(message);
    this.name = 'FhirRequestError';
  }
}

/** An OperationOutcome with one error issue; `diagnostics` must be safe to show. */
export function operationOutcome(
  status: number,
  code: IssueCode,
  diagnostics: string,
  issues: OperationOutcomeIssue[] = [],
): Response {
  const outcome: OperationOutcome = {
    resourceType: 'OperationOutcome',
    issue: issues.length ? issues : [{ severity: 'error', code, diagnostics }],
  };
  return fhirJson(outcome, status);
}

// FHIR issue types (http://hl7.org/fhir/issue-type) for our stable error codes.
const APP_ERRORS: Record<AppError['code'], [number, IssueCode]> = {
  VALIDATION: [400, 'invalid'],
  NOT_FOUND: [404, 'not-found'],
  FORBIDDEN: [403, 'forbidden'],
  UNAUTHENTICATED: [401, 'login'],
  CONFLICT: [409, 'conflict'],
  RATE_LIMITED: [429, 'throttled'],
};

/** Turns an expected error into an OperationOutcome; anything else is rethrown (a 500). */
export function errorOutcome(error: unknown): Response {
  if (error instanceof FhirRequestError)
    return operationOutcome(error.status, error.issueCode, error.message, error.issues);
  if (error instanceof AppError) {
    const [status, code] = APP_ERRORS[error.code];
    return operationOutcome(status, code, error.message);
  }
  throw error;
}

/** A 400 for a bad search parameter. */
export function badParameter(message: string): FhirRequestError {
  return new FhirRequestError(400, 'invalid', message);
}
