/**
 * Code systems and URLs used in our FHIR resources. HL7 and DICOM systems are the official
 * ones; where no standard code exists we use our own system under `CONSENTOME_FHIR`, so a
 * reader can always tell a standard code from ours.
 */
export const CONSENTOME_FHIR = 'https://consentome.example/fhir';

export const SYSTEMS = {
  auditEventType: 'http://terminology.hl7.org/CodeSystem/audit-event-type',
  dicom: 'http://dicom.nema.org/resources/ontology/DCM',
  auditAction: `${CONSENTOME_FHIR}/CodeSystem/audit-action`,
  role: `${CONSENTOME_FHIR}/CodeSystem/role`,
  user: `${CONSENTOME_FHIR}/NamingSystem/user`,
  auditEvent: `${CONSENTOME_FHIR}/NamingSystem/audit-event`,
  target: `${CONSENTOME_FHIR}/NamingSystem/target`,
  securitySourceType: 'http://terminology.hl7.org/CodeSystem/security-source-type',
  entityType: 'http://terminology.hl7.org/CodeSystem/audit-entity-type',
  objectRole: 'http://terminology.hl7.org/CodeSystem/object-role',
  consentScope: 'http://terminology.hl7.org/CodeSystem/consentscope',
  loinc: 'http://loinc.org',
  actCode: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  duo: 'http://purl.obolibrary.org/obo/duo',
  mondo: 'http://purl.obolibrary.org/obo/mondo.owl',
  consentScopeOwn: `${CONSENTOME_FHIR}/CodeSystem/consent-scope`,
  study: `${CONSENTOME_FHIR}/NamingSystem/study`,
} as const;

/** Extensions we define (StructureDefinitions are documented in the module README). */
export const EXTENSIONS = {
  askEachTime: `${CONSENTOME_FHIR}/StructureDefinition/ask-each-time`,
  discoverable: `${CONSENTOME_FHIR}/StructureDefinition/discoverable`,
  recontact: `${CONSENTOME_FHIR}/StructureDefinition/recontact`,
} as const;
