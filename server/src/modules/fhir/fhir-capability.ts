import type { CapabilityStatement } from '@medplum/fhirtypes';

/**
 * What `/fhir` serves, exactly: read and search on AuditEvent and Consent, Consent history, and
 * Consent create (a participant's own; no update, delete or conditional create); Condition and
 * Observation create by authorised clinicians, each answered with its Provenance; and the
 * Patient `$everything` operation (no other Patient interaction: a Patient is read through it).
 */
export function capabilityStatement(baseUrl: string): CapabilityStatement {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: '2026-12-05',
    publisher: 'Consentome',
    kind: 'instance',
    software: { name: 'Consentome' },
    implementation: {
      description: 'Consentome FHIR R4: audit and consent exports; participants post their consent',
      url: baseUrl,
    },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    rest: [
      {
        mode: 'server',
        security: {
          description:
            'Bearer token from the GraphQL login mutation. Participants see their own data and create their own Consent; ethics boards and admins read all and create none.',
        },
        resource: [
          {
            type: 'AuditEvent',
            interaction: [{ code: 'read' }, { code: 'search-type' }],
            searchParam: [
              { name: 'patient', type: 'reference', documentation: 'Participant pseudonym' },
              {
                name: 'date',
                type: 'date',
                documentation: 'Recorded; prefixes ge, gt, le, lt, eq',
              },
              { name: 'action', type: 'token', documentation: 'C, R, U, D or E' },
              { name: '_count', type: 'number', documentation: 'Page size, default 50, max 200' },
            ],
          },
          {
            type: 'Consent',
            versioning: 'versioned',
            interaction: [
              { code: 'read' },
              { code: 'vread' },
              { code: 'history-instance' },
              { code: 'search-type' },
              {
                code: 'create',
                documentation:
                  'A new version of the participant’s one Consent (id = pseudonym); 201 with Location of that version',
              },
            ],
            conditionalCreate: false,
            searchParam: [
              { name: 'patient', type: 'reference', documentation: 'Participant pseudonym' },
            ],
          },
          ...(['Condition', 'Observation'] as const).map((type) => ({
            type,
            interaction: [
              {
                code: 'create' as const,
                documentation:
                  type === 'Condition'
                    ? 'A clinician the participant authorised to append adds to their record; code: HPO or MONDO, or SNOMED CT of a common condition we map (snomed-conditions.ts; others refused, 422); 201 with a Bundle of the resource and its Provenance'
                    : 'A clinician the participant authorised to append adds to their record; code: LOINC height, weight or smoking status; 201 with a Bundle of the resource and its Provenance',
              },
            ],
            conditionalCreate: false,
          })),
          {
            type: 'Provenance',
            documentation:
              'Not served on its own: each Condition or Observation create answers with the Provenance of the addition (who, for which institution, when), and Patient/$everything holds a Provenance for every entry',
          },
          {
            type: 'Patient',
            documentation:
              'Id = the participant’s enrolment id (pseudonym). Read through $everything only',
            operation: [
              {
                name: 'everything',
                definition: 'http://hl7.org/fhir/OperationDefinition/Patient-everything',
                documentation:
                  'GET Patient/$everything (the participant signed in, or an app they authorised with scope patient/*.read) or Patient/<pseudonym>/$everything (their own only): a searchset Bundle of their Patient, Conditions, Observations, Consent, AuditEvents, a Provenance per entry and their genomic calls as a VCF (Binary); the read is audited',
              },
            ],
          },
        ],
      },
    ],
  };
}
