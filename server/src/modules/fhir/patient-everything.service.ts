import type {
  AuditEvent,
  Binary,
  Bundle,
  BundleEntry,
  Condition,
  Consent,
  Observation,
  Organization,
  Patient,
  Provenance,
  Reference,
  Resource,
} from '@medplum/fhirtypes';
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { NotFoundError } from '../../errors/app-errors.js';
import type { UserActor } from '../actors/actor.js';
import { appendParticipantEvent } from '../audit/audit.service.js';
import { auditEvents } from '../audit/audit.tables.js';
import { preferenceHistory } from '../consent/consent.service.js';
import { genotypeUploads } from '../datasets/genotype-upload/genotype-upload.tables.js';
import { phenotypeObservations } from '../datasets/ingest/ingest.tables.js';
import { ontologyTerms } from '../ontology/ontology.tables.js';
import { recordEntriesOf, type RecordEntryView } from '../record/record-reads.service.js';
import { patientPseudonym, viewerParticipant, type ParticipantRow } from './fhir-access.js';
import { auditEventContext } from './fhir-audit-context.js';
import { conditionCode } from './fhir-condition-code.js';
import { toFhirAuditEvent } from './fhir-audit-event.js';
import { consentId, toFhirConsent } from './fhir-consent.js';
import { MEASUREMENT_LOINC, SMOKING_SNOMED } from './fhir-record-input.js';
import { decisionsAsOf, participantStudyDecisions } from './fhir-study-provisions.js';
import { CONSENTOME_FHIR, SYSTEMS } from './fhir-systems.js';
import { participantVcf } from './patient-record-vcf.js';

/** The most audit events a download carries (newest kept); the FHIR AuditEvent search pages further. */
export const EVERYTHING_AUDIT_LIMIT = 10_000;

const UCUM = 'http://unitsofmeasure.org';
const SNOMED = 'http://snomed.info/sct';
const DATA_OPERATION = 'http://terminology.hl7.org/CodeSystem/v3-DataOperation';
const PARTICIPANT_TYPE = 'http://terminology.hl7.org/CodeSystem/provenance-participant-type';
const CLINICAL_STATUS = 'http://terminology.hl7.org/CodeSystem/condition-clinical';
const VERIFICATION = 'http://terminology.hl7.org/CodeSystem/condition-ver-status';
/** Where an entry came from, as our own code system (DESIGN: provenance everywhere). */
const SOURCE_SYSTEM = `${CONSENTOME_FHIR}/CodeSystem/record-source`;

/** Everything a participant's download holds, before it becomes a Bundle or a PDF. */
export interface ParticipantEverything {
  participant: ParticipantRow;
  entries: RecordEntryView[];
  ingested: { term: string; label: string | null; present: boolean; onset: string | null }[];
  uploads: (typeof genotypeUploads.$inferSelect)[];
  consent: Consent;
  audit: AuditEvent[];
  vcf: { text: string; calls: number };
}

/**
 * The signed-in participant and what their record holds: entries (with their private notes:
 * it is their own copy), conditions from studies' ingests, uploads, consent, audit trail and
 * genotype calls. Anyone else, or another participant's pseudonym, answers 404. Reads only.
 */
export async function collectEverything(
  tx: Tx,
  viewer: UserActor,
  pseudonym: string | null,
): Promise<ParticipantEverything> {
  const participant = await viewerParticipant(tx, viewer);
  if (!participant || (pseudonym !== null && patientPseudonym(pseudonym) !== participant.pseudonym))
    throw new NotFoundError('Patient');
  const entries = await recordEntriesOf(tx, participant.id, { withPrivate: true });
  const ingested = await tx
    .select({
      term: phenotypeObservations.term,
      label: ontologyTerms.label,
      present: phenotypeObservations.present,
      onset: phenotypeObservations.onset,
    })
    .from(phenotypeObservations)
    .leftJoin(ontologyTerms, eq(ontologyTerms.curie, phenotypeObservations.term))
    .where(eq(phenotypeObservations.participantId, participant.id))
    .orderBy(asc(phenotypeObservations.term));
  const uploads = await tx
    .select()
    .from(genotypeUploads)
    .where(
      and(eq(genotypeUploads.participantId, participant.id), isNull(genotypeUploads.retractedAt)),
    );
  const [current] = await preferenceHistory(tx, participant.id);
  const decisions = await participantStudyDecisions(tx, participant.id);
  const consent = toFhirConsent(participant, current!, true, decisionsAsOf(decisions, null));
  const rows = (
    await tx
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.participantId, participant.id))
      .orderBy(asc(auditEvents.seq))
  ).slice(-EVERYTHING_AUDIT_LIMIT);
  const ctx = await auditEventContext(tx, rows);
  const audit = rows.map((row) => toFhirAuditEvent(row, ctx));
  const vcf = await participantVcf(tx, participant);
  return { participant, entries, ingested, uploads, consent, audit, vcf };
}

/** Appends `record.download` for a download of the participant's whole record (counts only). */
export async function auditDownload(
  tx: Tx,
  viewer: UserActor,
  everything: ParticipantEverything,
  format: 'fhir' | 'pdf',
  app?: { tokenId: string },
): Promise<void> {
  await appendParticipantEvent(
    tx,
    viewer,
    app ? 'record.download.app' : 'record.download',
    everything.participant.id,
    {
      format,
      entries: everything.entries.length + everything.ingested.length,
      calls: everything.vcf.calls,
      auditEvents: everything.audit.length,
      ...(app ? { app: app.tokenId } : {}),
    },
  );
}

const sourceCoding = (source: string, display: string) => ({
  system: SOURCE_SYSTEM,
  code: source,
  display,
});

function provenance(
  id: string,
  target: string,
  recorded: Date,
  agent: {
    who: Reference<Patient>;
    onBehalfOf?: Reference<Organization>;
    source: string;
    sourceDisplay: string;
  },
): Provenance {
  return {
    resourceType: 'Provenance',
    id,
    target: [{ reference: target }],
    recorded: recorded.toISOString(),
    activity: { coding: [{ system: DATA_OPERATION, code: 'CREATE' }] },
    reason: [{ coding: [sourceCoding(agent.source, agent.sourceDisplay)] }],
    agent: [
      {
        type: { coding: [{ system: PARTICIPANT_TYPE, code: 'author' }] },
        who: agent.who,
        ...(agent.onBehalfOf ? { onBehalfOf: agent.onBehalfOf } : {}),
      },
    ],
  };
}

function entryResource(e: RecordEntryView, patient: Reference<Patient>): Condition | Observation {
  const notes = [
    ...(e.note ? [{ text: `Your private note: ${e.note}` }] : []),
    ...e.remarks.map((r) => ({
      text: `${r.kind === 'dispute' ? 'Disputed' : 'Remark'}: ${r.text}`,
    })),
  ];
  const meta = { versionId: String(e.version), lastUpdated: e.createdAt.toISOString() };
  if (e.kind === 'condition')
    return {
      resourceType: 'Condition',
      id: e.id,
      meta,
      clinicalStatus: { coding: [{ system: CLINICAL_STATUS, code: 'active' }] },
      verificationStatus: {
        coding: [
          { system: VERIFICATION, code: e.source === 'clinician' ? 'confirmed' : 'provisional' },
        ],
      },
      code: conditionCode(e.code, e.label),
      subject: patient,
      ...(e.onset ? { onsetDateTime: e.onset } : {}),
      recordedDate: e.createdAt.toISOString(),
      ...(notes.length ? { note: notes } : {}),
    };
  const loinc = MEASUREMENT_LOINC[e.code as keyof typeof MEASUREMENT_LOINC];
  const smoking = SMOKING_SNOMED[e.valueText as keyof typeof SMOKING_SNOMED];
  return {
    resourceType: 'Observation',
    id: e.id,
    meta,
    status: 'final',
    code: loinc
      ? { coding: [{ system: SYSTEMS.loinc, code: loinc.code, display: loinc.display }] }
      : { text: e.code },
    subject: patient,
    ...(e.onset ? { effectiveDateTime: e.onset } : {}),
    issued: e.createdAt.toISOString(),
    ...(e.valueNumber !== null && e.unit
      ? { valueQuantity: { value: e.valueNumber, unit: e.unit, system: UCUM, code: e.unit } }
      : smoking
        ? { valueCodeableConcept: { coding: [{ system: SNOMED, ...smoking }] } }
        : {}),
    ...(notes.length ? { note: notes } : {}),
  };
}

function entryProvenance(e: RecordEntryView, patient: Reference<Patient>): Provenance {
  const target = `${e.kind === 'condition' ? 'Condition' : 'Observation'}/${e.id}`;
  if (e.source === 'clinician')
    return provenance(`prov-${e.id}`, target, e.createdAt, {
      who: { display: e.authorName ?? 'Clinician' },
      onBehalfOf: { display: e.authorInstitution ?? 'Unknown institution' },
      source: 'clinician',
      sourceDisplay: 'A clinician you authorised',
    });
  if (e.source === 'steward_ingest')
    return provenance(`prov-${e.id}`, target, e.createdAt, {
      who: { display: 'Data steward (study ingest)' },
      source: 'steward_ingest',
      sourceDisplay: 'A study’s data ingest',
    });
  return provenance(`prov-${e.id}`, target, e.createdAt, {
    who: patient,
    source: 'self_report',
    sourceDisplay: 'You reported it',
  });
}

/**
 * The participant's whole record as a FHIR R4 searchset Bundle in the manner of
 * `Patient/$everything`: Patient, Conditions and Observations (with a Provenance each naming
 * the source), the Consent, the AuditEvents about them, and their genotype calls as a VCF in a
 * Binary (with a Provenance per upload of their own).
 */
export function everythingBundle(all: ParticipantEverything, baseUrl: string): Bundle {
  const p = all.participant;
  const id = consentId(p.pseudonym) ?? undefined;
  const patientRef: Reference<Patient> = { reference: `Patient/${p.pseudonym}` };
  const patient: Patient = {
    resourceType: 'Patient',
    ...(id ? { id } : {}),
    identifier: [{ system: `${CONSENTOME_FHIR}/NamingSystem/pseudonym`, value: p.pseudonym }],
    active: p.status !== 'withdrawn',
    gender: p.sex as Patient['gender'],
    ...(p.birthYear ? { birthDate: String(p.birthYear) } : {}),
  };
  const resources: Resource[] = [patient];
  for (const e of all.entries)
    resources.push(entryResource(e, patientRef), entryProvenance(e, patientRef));
  for (const o of all.ingested) {
    const cid = `ingest-${o.term.replace(/[^A-Za-z0-9]/g, '-')}`;
    resources.push(
      {
        resourceType: 'Condition',
        id: cid,
        verificationStatus: {
          coding: [{ system: VERIFICATION, code: o.present ? 'confirmed' : 'refuted' }],
        },
        code: conditionCode(o.term, o.label),
        subject: patientRef,
        ...(o.onset ? { onsetString: o.onset } : {}),
      },
      provenance(`prov-${cid}`, `Condition/${cid}`, p.createdAt, {
        who: { display: 'Data steward (study ingest)' },
        source: 'steward_ingest',
        sourceDisplay: 'A study’s data ingest',
      }),
    );
  }
  resources.push(all.consent, ...all.audit);
  const binary: Binary = {
    resourceType: 'Binary',
    id: 'genotypes',
    contentType: 'text/vcf',
    data: Buffer.from(all.vcf.text).toString('base64'),
  };
  resources.push(binary);
  for (const u of all.uploads)
    resources.push(
      provenance(`prov-upload-${u.id}`, 'Binary/genotypes', u.createdAt, {
        who: patientRef,
        source: 'device_upload',
        sourceDisplay: `Your upload of ${u.fileName} (${u.format}, ${u.build})`,
      }),
    );
  const entry: BundleEntry[] = resources.map((resource) => ({
    ...(resource.id ? { fullUrl: `${baseUrl}/${resource.resourceType}/${resource.id}` } : {}),
    resource,
    search: { mode: resource.resourceType === 'Patient' ? 'match' : 'include' },
  }));
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    timestamp: new Date().toISOString(),
    total: 1,
    link: [{ relation: 'self', url: `${baseUrl}/Patient/${p.pseudonym}/$everything` }],
    entry,
  };
}

/**
 * `GET /fhir/Patient/[<pseudonym>/]$everything`: the signed-in participant's own record, or the
 * record of the participant who authorised the calling app (`app`); audited.
 */
export async function patientEverything(
  tx: Tx,
  viewer: UserActor,
  pseudonym: string | null,
  baseUrl: string,
  app?: { tokenId: string },
): Promise<Bundle> {
  const all = await collectEverything(tx, viewer, pseudonym);
  await auditDownload(tx, viewer, all, 'fhir', app);
  return everythingBundle(all, baseUrl);
}
