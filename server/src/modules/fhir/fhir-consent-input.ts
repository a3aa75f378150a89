import type { OperationOutcomeIssue } from '@medplum/fhirtypes';
import { z } from 'zod';
import { FhirRequestError } from './fhir-http.js';

/*
 * The part of R4 Consent that `POST /fhir/Consent` understands: exactly the elements
 * `toFhirConsent` writes. Every object is strict, so an element we would otherwise silently
 * drop (an actor, a period, a data reference, a nested exception inside an exception) is
 * refused instead of being recorded as a consent it does not describe. Codes are checked
 * afterwards, in `fhir-consent-statement.ts`, so that every unknown code can be named at once.
 */

const coding = z.strictObject({
  system: z.string(),
  code: z.string(),
  // Display text is for people; the code is what we read.
  display: z.string().optional(),
});

const codeableConcept = z.strictObject({ coding: z.array(coding).min(1) });

const booleanExtension = z.strictObject({ url: z.string(), valueBoolean: z.boolean() });

const scopeProvision = z.strictObject({
  extension: z.array(booleanExtension).optional(),
  type: z.enum(['permit', 'deny']),
  // A nested provision without a purpose would be an exception for everything.
  purpose: z.array(coding).min(1),
  // A disease-specific (DS) provision names its diseases as MONDO codes (a named disease's
  // answer, as `toFhirConsent` writes it); checked in `fhir-consent-statement.ts`.
  code: z.array(codeableConcept).min(1).optional(),
});

/**
 * A per-study decision as GET writes it. Accepted so that a resource read can be posted back,
 * but not recorded from here: a participant answers a study in its consent request, where they
 * see the lay summary.
 */
const studyProvision = z.strictObject({
  type: z.enum(['permit', 'deny']),
  period: z.strictObject({ start: z.string() }).optional(),
  code: z.array(codeableConcept).min(1),
});

/** A Consent as `POST /fhir/Consent` accepts it (see the module README for each element). */
export const ConsentInputSchema = z.strictObject({
  resourceType: z.literal('Consent'),
  // On create the server assigns identity and version (R4 §3.1.0.8), so these are ignored.
  id: z.string().optional(),
  meta: z.strictObject({ versionId: z.string(), lastUpdated: z.string() }).partial().optional(),
  extension: z.array(booleanExtension).optional(),
  status: z.string(),
  scope: codeableConcept,
  category: z.array(codeableConcept).min(1),
  patient: z.strictObject({ reference: z.string() }),
  // When the consent was given elsewhere; the new version is dated when we record it.
  dateTime: z.string().optional(),
  policyRule: codeableConcept.optional(),
  provision: z.strictObject({
    type: z.enum(['permit', 'deny']),
    provision: z.array(z.union([scopeProvision, studyProvision])).optional(),
  }),
});

/** A Consent document that has the shape we understand (codes not yet checked). */
export type ConsentInput = z.output<typeof ConsentInputSchema>;

/** A path inside a Consent as a FHIRPath expression: `Consent.provision.provision[0].type`. */
export function fhirPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (expression, key) =>
      typeof key === 'number' ? `${expression}[${key}]` : `${expression}.${String(key)}`,
    'Consent',
  );
}

function issuesOf(error: z.ZodError): OperationOutcomeIssue[] {
  return error.issues.flatMap((issue): OperationOutcomeIssue[] => {
    if (issue.code === 'unrecognized_keys')
      return issue.keys.map((key) => ({
        severity: 'error',
        code: 'not-supported',
        diagnostics: `Element not supported here: ${key}`,
        expression: [fhirPath([...issue.path, key])],
      }));
    const missing = issue.code === 'invalid_type' && issue.input === undefined;
    return [
      {
        severity: 'error',
        code: missing ? 'required' : 'invalid',
        diagnostics: missing ? 'Required element missing' : issue.message,
        expression: [fhirPath(issue.path)],
      },
    ];
  });
}

/**
 * The document as a Consent we understand, or a 422 whose OperationOutcome has one issue per
 * element that is missing, not supported or of the wrong kind. Run it on a document that already
 * passed the official schema, so what remains is "valid FHIR, but not something we can record".
 */
export function parseConsentInput(document: unknown): ConsentInput {
  const result = ConsentInputSchema.safeParse(document, { reportInput: true });
  if (result.success) return result.data;
  const issues = issuesOf(result.error);
  throw new FhirRequestError(422, 'not-supported', 'Consent not supported as sent', issues);
}
