import type { Condition, Observation } from '@medplum/fhirtypes';
import type { ConditionInput, MeasurementInput } from '../record/record-content.js';
import { referencedPseudonym } from './fhir-access.js';
import { FhirRequestError } from './fhir-http.js';
import { fhirSchemaIssues } from './fhir-schema.js';
import { SYSTEMS } from './fhir-systems.js';
import { curieForSnomed } from './snomed-conditions.js';

/** The HPO and MONDO code systems a Condition may use (their OBO PURLs). */
const ONTOLOGY_SYSTEMS = new Set([
  'http://purl.obolibrary.org/obo/hp.owl',
  'http://purl.obolibrary.org/obo/mondo.owl',
  'http://purl.obolibrary.org/obo/hp',
  'http://purl.obolibrary.org/obo/mondo',
  'http://human-phenotype-ontology.org',
]);

/** LOINC codes of the measurements a record holds, with the unit each is stored in. */
export const MEASUREMENT_LOINC = {
  height: { code: '8302-2', display: 'Body height', unit: 'cm' },
  weight: { code: '29463-7', display: 'Body weight', unit: 'kg' },
  smoking_status: { code: '72166-2', display: 'Tobacco smoking status', unit: null },
} as const;

/** SNOMED CT answers to LOINC 72166-2 that we keep. */
export const SMOKING_SNOMED = {
  never: { code: '266919005', display: 'Never smoked tobacco' },
  former: { code: '8517006', display: 'Ex-smoker' },
  current: { code: '77176002', display: 'Smoker' },
} as const;

const SNOMED = 'http://snomed.info/sct';
const UCUM = 'http://unitsofmeasure.org';
// Units accepted, as a factor to the stored unit.
const UNIT_FACTORS: Record<string, { to: 'cm' | 'kg'; factor: number }> = {
  cm: { to: 'cm', factor: 1 },
  m: { to: 'cm', factor: 100 },
  kg: { to: 'kg', factor: 1 },
  g: { to: 'kg', factor: 0.001 },
};

const unprocessable = (message: string) => new FhirRequestError(422, 'processing', message);

/** The official R4 schema, for the one resource type this endpoint takes; else a 400. */
export function assertValidResource(document: unknown, resourceType: string): void {
  const isObject = typeof document === 'object' && document !== null && !Array.isArray(document);
  if (isObject && (document as { resourceType?: unknown }).resourceType !== resourceType)
    throw new FhirRequestError(400, 'invalid', `Post a ${resourceType} here`);
  const issues = fhirSchemaIssues(document, 'skip');
  if (!issues.length) return;
  throw new FhirRequestError(
    400,
    'structure',
    `Not a valid FHIR R4 ${resourceType}`,
    issues.map((issue) => ({
      severity: 'error' as const,
      code: 'structure' as const,
      diagnostics: `${issue.pointer || '/'} ${issue.message}`,
    })),
  );
}

/** Every `reference` string anywhere in the document. */
function references(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) references(v, out);
  else if (value && typeof value === 'object')
    for (const [key, v] of Object.entries(value))
      if (key === 'reference' && typeof v === 'string') out.push(v);
      else references(v, out);
  return out;
}

/**
 * The one patient the resource is about: its subject must be a `Patient/<id>`, and any other
 * Patient reference in it (a performer, a focus…) must name the same patient — a resource that
 * mixes two patients is refused (422), so nothing about one lands in the other's record.
 */
function subjectPseudonym(resource: { subject?: { reference?: string } }): string {
  const pseudonym = resource.subject?.reference
    ? referencedPseudonym(resource.subject.reference)
    : null;
  if (!pseudonym) throw unprocessable('subject must reference a Patient (Patient/<enrolment id>)');
  const others = references(resource)
    .map((r) => referencedPseudonym(r))
    .filter((p): p is string => p !== null && p !== pseudonym);
  if (others.length) throw unprocessable('The resource references another patient');
  return pseudonym;
}

/** A date (YYYY-MM-DD) from a FHIR dateTime, or null. */
const dayOf = (dateTime: string | undefined) => (dateTime ? dateTime.slice(0, 10) : null);

/**
 * The HPO/MONDO term a Condition is coded with: an HPO or MONDO coding as it is, else a SNOMED CT
 * coding our curated table maps (snomed-conditions.ts). A SNOMED CT code it does not map, or no
 * usable coding, is refused (422) saying what to send instead.
 */
function conditionCode(condition: Condition): string {
  const codings = condition.code?.coding ?? [];
  const ontology = codings.find((c) => c.system && ONTOLOGY_SYSTEMS.has(c.system) && c.code);
  if (ontology) return ontology.code!;
  const snomed = codings.filter((c) => c.system === SNOMED && c.code);
  for (const c of snomed) {
    const curie = curieForSnomed(c.code!);
    if (curie) return curie;
  }
  if (snomed.length)
    throw unprocessable(
      `SNOMED CT ${snomed.map((c) => c.code).join(', ')} has no HPO or MONDO equivalent here: add an HPO or MONDO coding (system http://purl.obolibrary.org/obo/hp.owl or …/mondo.owl) for this condition`,
    );
  throw unprocessable(
    'code needs an HPO or MONDO coding (system http://purl.obolibrary.org/obo/hp.owl or …/mondo.owl), or a SNOMED CT coding of a common condition we map',
  );
}

/** A posted Condition as the record's input: its patient, HPO/MONDO code and onset. */
export function conditionFromFhir(document: unknown): { pseudonym: string; input: ConditionInput } {
  assertValidResource(document, 'Condition');
  const condition = document as Condition;
  const pseudonym = subjectPseudonym(condition);
  const code = conditionCode(condition);
  const otherOnset = [
    condition.onsetPeriod,
    condition.onsetAge,
    condition.onsetRange,
    condition.onsetString,
  ];
  if (otherOnset.some((o) => o !== undefined))
    throw unprocessable('Give the onset as onsetDateTime (or leave it out when unknown)');
  return {
    pseudonym,
    input: { code, onset: dayOf(condition.onsetDateTime), note: null },
  };
}

/** A posted Observation (LOINC height, weight or smoking status) as the record's input. */
export function measurementFromFhir(document: unknown): {
  pseudonym: string;
  input: MeasurementInput;
} {
  assertValidResource(document, 'Observation');
  const observation = document as Observation;
  const pseudonym = subjectPseudonym(observation);
  const loinc = observation.code.coding?.find((c) => c.system === SYSTEMS.loinc);
  const measurement = (Object.keys(MEASUREMENT_LOINC) as (keyof typeof MEASUREMENT_LOINC)[]).find(
    (m) => MEASUREMENT_LOINC[m].code === loinc?.code,
  );
  if (!measurement)
    throw unprocessable(
      'code needs a LOINC coding: 8302-2 (height), 29463-7 (weight) or 72166-2 (smoking)',
    );
  const takenOn = dayOf(observation.effectiveDateTime);
  if (measurement === 'smoking_status') {
    const answer = observation.valueCodeableConcept?.coding?.find((c) => c.system === SNOMED);
    const status = (Object.keys(SMOKING_SNOMED) as (keyof typeof SMOKING_SNOMED)[]).find(
      (s) => SMOKING_SNOMED[s].code === answer?.code,
    );
    if (!status)
      throw unprocessable('valueCodeableConcept needs SNOMED CT 266919005, 8517006 or 77176002');
    return { pseudonym, input: { measurement, status, takenOn } };
  }
  const quantity = observation.valueQuantity;
  const unit = quantity?.system === UCUM && quantity.code ? UNIT_FACTORS[quantity.code] : undefined;
  if (quantity?.value === undefined || !unit || unit.to !== MEASUREMENT_LOINC[measurement].unit)
    throw unprocessable(
      `valueQuantity needs a value in UCUM ${measurement === 'height' ? 'cm or m' : 'kg or g'}`,
    );
  return { pseudonym, input: { measurement, value: quantity.value * unit.factor, takenOn } };
}
