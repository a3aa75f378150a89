import type { Bundle, Consent } from '@medplum/fhirtypes';
import type { Tx } from '../../db/database.js';
import { NotFoundError } from '../../errors/app-errors.js';
import type { UserActor } from '../actors/actor.js';
import { appendAuditEvent, appendParticipantEvent } from '../audit/audit.service.js';
import { preferenceHistory } from '../consent/consent.service.js';
import {
  assertCanReadParticipantResources,
  isOverseer,
  participantByPseudonym,
  patientPseudonym,
  viewerParticipant,
  type ParticipantRow,
} from './fhir-access.js';
import { toFhirConsent } from './fhir-consent.js';
import { decisionsAsOf, participantStudyDecisions } from './fhir-study-provisions.js';
import { badParameter } from './fhir-http.js';
import { assertKnownParams, single } from './fhir-search-params.js';

/**
 * The participant behind a Consent id or `patient` value, if the caller may see them. Someone
 * else's record answers 404, exactly like a record that does not exist.
 */
async function visibleParticipant(
  tx: Tx,
  viewer: UserActor,
  pseudonym: string,
): Promise<ParticipantRow> {
  assertCanReadParticipantResources(viewer);
  const row = isOverseer(viewer)
    ? await participantByPseudonym(tx, pseudonym)
    : await viewerParticipant(tx, viewer);
  if (!row || row.pseudonym !== pseudonym) throw new NotFoundError('Consent');
  return row;
}

async function audit(
  tx: Tx,
  viewer: UserActor,
  participant: ParticipantRow,
  payload: Record<string, unknown>,
) {
  await appendParticipantEvent(tx, viewer, 'fhir.read', participant.id, {
    resource: 'Consent',
    ...payload,
  });
}

/** `GET /fhir/Consent/<id>`: the participant's current consent; audited. */
export async function readFhirConsent(tx: Tx, viewer: UserActor, id: string): Promise<Consent> {
  const participant = await visibleParticipant(tx, viewer, id);
  const [current] = await preferenceHistory(tx, participant.id);
  const decisions = await participantStudyDecisions(tx, participant.id);
  await audit(tx, viewer, participant, { interaction: 'read', version: current!.version });
  return toFhirConsent(participant, current!, true, decisionsAsOf(decisions, null));
}

/** `GET /fhir/Consent/<id>/_history/<vid>`: one version; audited. */
export async function vreadFhirConsent(
  tx: Tx,
  viewer: UserActor,
  id: string,
  versionId: string,
): Promise<Consent> {
  const participant = await visibleParticipant(tx, viewer, id);
  const history = await preferenceHistory(tx, participant.id);
  const index = history.findIndex((v) => String(v.version) === versionId);
  if (index < 0) throw new NotFoundError('Consent version');
  await audit(tx, viewer, participant, { interaction: 'vread', version: history[index]!.version });
  const decisions = await participantStudyDecisions(tx, participant.id);
  return toFhirConsent(
    participant,
    history[index]!,
    index === 0,
    decisionsAsOf(decisions, index === 0 ? null : (history[index]!.createdAt ?? undefined)),
  );
}

/** `GET /fhir/Consent/<id>/_history`: every version, newest first, as a history Bundle; audited. */
export async function fhirConsentHistory(
  tx: Tx,
  viewer: UserActor,
  id: string,
  baseUrl: string,
): Promise<Bundle<Consent>> {
  const participant = await visibleParticipant(tx, viewer, id);
  const history = await preferenceHistory(tx, participant.id);
  const decisions = await participantStudyDecisions(tx, participant.id);
  await audit(tx, viewer, participant, {
    interaction: 'history-instance',
    returned: history.length,
  });
  return {
    resourceType: 'Bundle',
    type: 'history',
    timestamp: new Date().toISOString(),
    total: history.length,
    link: [{ relation: 'self', url: `${baseUrl}/Consent/${id}/_history` }],
    entry: history.map((v, i) => ({
      fullUrl: `${baseUrl}/Consent/${id}`,
      resource: toFhirConsent(
        participant,
        v,
        i === 0,
        decisionsAsOf(decisions, i === 0 ? null : (v.createdAt ?? undefined)),
      ),
      // Version 1 created the consent and later versions replaced it; version 0 is the default
      // that was in force before, shown so the history starts where the participant did.
      request: {
        method: v.version <= 1 ? 'POST' : 'PUT',
        url: v.version <= 1 ? 'Consent' : `Consent/${id}`,
      },
      response: {
        status: v.version <= 1 ? '201 Created' : '200 OK',
        ...(v.createdAt ? { lastModified: v.createdAt.toISOString() } : {}),
      },
    })),
  };
}

/**
 * `GET /fhir/Consent?patient=<pseudonym>`: the current consent of one participant. A participant
 * may leave `patient` out (it is them); boards and admins must name one, because listing every
 * participant's consent is a bulk export, not a search.
 */
export async function searchFhirConsent(
  tx: Tx,
  viewer: UserActor,
  params: URLSearchParams,
  baseUrl: string,
): Promise<Bundle<Consent>> {
  assertCanReadParticipantResources(viewer);
  assertKnownParams(params, ['patient']);
  const patient = single(params, 'patient');
  let participant: ParticipantRow | null;
  if (patient !== null) {
    participant = await visibleParticipant(tx, viewer, patientPseudonym(patient)).catch(
      (error: unknown) => {
        // A search that matches nothing is an empty Bundle for boards; for a participant
        // naming someone else it is 404, as for every other read of another's data.
        if (error instanceof NotFoundError && isOverseer(viewer)) return null;
        throw error;
      },
    );
  } else if (isOverseer(viewer)) {
    throw badParameter('patient: required (the pseudonym of one participant)');
  } else {
    participant = await viewerParticipant(tx, viewer);
  }
  const entry: NonNullable<Bundle<Consent>['entry']> = [];
  if (participant) {
    const [current] = await preferenceHistory(tx, participant.id);
    await audit(tx, viewer, participant, { interaction: 'search-type', version: current!.version });
    const decisions = await participantStudyDecisions(tx, participant.id);
    const resource = toFhirConsent(participant, current!, true, decisionsAsOf(decisions, null));
    entry.push({
      fullUrl: `${baseUrl}/Consent/${resource.id ?? ''}`,
      resource,
      search: { mode: 'match' },
    });
  } else {
    await appendAuditEvent(tx, viewer, {
      action: 'fhir.read',
      targetType: 'Consent',
      payload: { resource: 'Consent', interaction: 'search-type', returned: 0 },
    });
  }
  const query = params.toString();
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    timestamp: new Date().toISOString(),
    total: entry.length,
    link: [{ relation: 'self', url: `${baseUrl}/Consent${query ? `?${query}` : ''}` }],
    entry,
  };
}
