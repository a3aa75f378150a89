import type { Bundle, Condition, Observation, Provenance } from '@medplum/fhirtypes';
import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { ForbiddenError } from '../../errors/app-errors.js';
import { users } from '../accounts/accounts.tables.js';
import { hasRole, type UserActor } from '../actors/actor.js';
import { ontologyTerms } from '../ontology/ontology.tables.js';
import {
  clinicianAddCondition,
  clinicianAddMeasurement,
} from '../record/clinician-record.service.js';
import { recordEntryVersions } from '../record/record.tables.js';
import { conditionCode } from './fhir-condition-code.js';
import {
  MEASUREMENT_LOINC,
  SMOKING_SNOMED,
  conditionFromFhir,
  measurementFromFhir,
} from './fhir-record-input.js';
import { SYSTEMS } from './fhir-systems.js';

/** Only clinicians append over FHIR; anyone else is refused before their document is read. */
export function assertCanAppendRecord(viewer: UserActor): void {
  if (!hasRole(viewer, 'clinician'))
    throw new ForbiddenError('Only a clinician the participant authorised can add to a record');
}

/** What a create answers: the resource and its Provenance in a collection Bundle. */
export interface CreatedRecordResource {
  bundle: Bundle;
  location: string;
}

/** The Provenance of an addition: who (the clinician, for their institution), when, what. */
function provenanceOf(
  target: string,
  entryId: string,
  recorded: string,
  clinician: { id: string; name: string; institution: string },
): Provenance {
  return {
    resourceType: 'Provenance',
    id: entryId,
    target: [{ reference: target }],
    recorded,
    activity: {
      coding: [
        { system: 'http://terminology.hl7.org/CodeSystem/v3-DataOperation', code: 'CREATE' },
      ],
    },
    agent: [
      {
        type: {
          coding: [
            {
              system: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type',
              code: 'author',
            },
          ],
        },
        who: { identifier: { system: SYSTEMS.user, value: clinician.id }, display: clinician.name },
        onBehalfOf: { display: clinician.institution },
      },
    ],
  };
}

async function clinicianOf(tx: Tx, viewer: UserActor, institution: string) {
  const [me] = await tx
    .select({ name: users.displayName })
    .from(users)
    .where(eq(users.id, viewer.userId));
  return { id: viewer.userId, name: me?.name ?? 'Clinician', institution };
}

/** The term an entry was stored as (its first version), with the term's label. */
async function storedTerm(
  tx: Tx,
  entryId: string,
): Promise<{ curie: string; label: string | null }> {
  const [row] = await tx
    .select({ curie: recordEntryVersions.code, label: ontologyTerms.label })
    .from(recordEntryVersions)
    .leftJoin(ontologyTerms, eq(ontologyTerms.curie, recordEntryVersions.code))
    .where(and(eq(recordEntryVersions.entryId, entryId), eq(recordEntryVersions.version, 1)));
  return { curie: row!.curie, label: row!.label };
}

function created(
  resource: Condition | Observation,
  provenance: Provenance,
  baseUrl: string,
): CreatedRecordResource {
  const path = `${resource.resourceType}/${resource.id}`;
  return {
    location: `${baseUrl}/${path}/_history/1`,
    bundle: {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        { fullUrl: `${baseUrl}/${path}`, resource },
        { fullUrl: `${baseUrl}/Provenance/${provenance.id}`, resource: provenance },
      ],
    },
  };
}

/**
 * `POST /fhir/Condition`: a clinician adds an HPO/MONDO-coded condition to the record of a
 * participant who authorises them to append now. Schema (400), what we take (422), the patient
 * (404 when they never authorised this clinician, 403 when the authorisation ended), then the
 * record service writes and audits it in the caller's transaction. The answer shows the Condition
 * as stored: its HPO/MONDO term, with the SNOMED CT equivalent beside it (fhir-condition-code.ts),
 * not the coding that was posted.
 */
export async function createFhirCondition(
  tx: Tx,
  viewer: UserActor,
  document: unknown,
  baseUrl: string,
): Promise<CreatedRecordResource> {
  assertCanAppendRecord(viewer);
  const { pseudonym, input } = conditionFromFhir(document);
  const entry = await clinicianAddCondition(tx, viewer, pseudonym, input);
  const term = await storedTerm(tx, entry.id);
  const recorded = new Date().toISOString();
  const posted = document as Condition;
  const resource: Condition = {
    resourceType: 'Condition',
    id: entry.id,
    meta: { versionId: '1', lastUpdated: recorded },
    ...(posted.clinicalStatus ? { clinicalStatus: posted.clinicalStatus } : {}),
    ...(posted.verificationStatus ? { verificationStatus: posted.verificationStatus } : {}),
    code: conditionCode(term.curie, term.label),
    subject: { reference: `Patient/${pseudonym}` },
    ...(input.onset ? { onsetDateTime: input.onset } : {}),
    recordedDate: recorded,
  };
  const clinician = await clinicianOf(tx, viewer, entry.institution);
  return created(
    resource,
    provenanceOf(`Condition/${entry.id}`, entry.id, recorded, clinician),
    baseUrl,
  );
}

/**
 * `POST /fhir/Observation`: height, weight (LOINC, UCUM) or smoking status (LOINC 72166-2 with
 * a SNOMED CT answer), checked like a Condition and stored in the record's units.
 */
export async function createFhirObservation(
  tx: Tx,
  viewer: UserActor,
  document: unknown,
  baseUrl: string,
): Promise<CreatedRecordResource> {
  assertCanAppendRecord(viewer);
  const { pseudonym, input } = measurementFromFhir(document);
  const entry = await clinicianAddMeasurement(tx, viewer, pseudonym, input);
  const recorded = new Date().toISOString();
  const loinc = MEASUREMENT_LOINC[input.measurement];
  const resource: Observation = {
    resourceType: 'Observation',
    id: entry.id,
    meta: { versionId: '1', lastUpdated: recorded },
    status: 'final',
    code: { coding: [{ system: SYSTEMS.loinc, code: loinc.code, display: loinc.display }] },
    subject: { reference: `Patient/${pseudonym}` },
    ...(input.takenOn ? { effectiveDateTime: input.takenOn } : {}),
    ...(input.status
      ? {
          valueCodeableConcept: {
            coding: [{ system: 'http://snomed.info/sct', ...SMOKING_SNOMED[input.status] }],
          },
        }
      : {
          valueQuantity: {
            value: input.value!,
            unit: loinc.unit!,
            system: 'http://unitsofmeasure.org',
            code: loinc.unit!,
          },
        }),
  };
  const clinician = await clinicianOf(tx, viewer, entry.institution);
  return created(
    resource,
    provenanceOf(`Observation/${entry.id}`, entry.id, recorded, clinician),
    baseUrl,
  );
}
