import { fhirSchemaIssues } from '../modules/fhir/fhir-schema.js';

/**
 * The official-schema errors of a resource (empty when valid), short enough to read in a failed
 * test. Each resource is checked against the definition its `resourceType` names, so a document
 * with a wrong or missing `resourceType` fails instead of slipping through a root `oneOf`.
 */
export function fhirSchemaErrors(resource: unknown): string[] {
  return fhirSchemaIssues(resource)
    .map((issue) => `${issue.pointer || '/'} ${issue.message}`)
    .slice(0, 20);
}
