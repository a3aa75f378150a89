import type { Consent } from '@medplum/fhirtypes';
import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../../errors/app-errors.js';
import { hasRole, type UserActor } from '../actors/actor.js';
import { preferenceHistory, setConsentPreferences } from '../consent/consent.service.js';
import { askWhetherLaterNoApplies } from '../studies/later-no-questions.js';
import { participants } from '../participants/participants.tables.js';
import { parseConsentInput } from './fhir-consent-input.js';
import { consentStatement } from './fhir-consent-statement.js';
import { toFhirConsent } from './fhir-consent.js';
import { decisionsAsOf, participantStudyDecisions } from './fhir-study-provisions.js';
import { FhirRequestError } from './fhir-http.js';
import { fhirSchemaIssues } from './fhir-schema.js';

/**
 * Only a participant states their own consent. Boards and admins oversee consent but do not
 * make it (the design: participants own their consent), and an EHR acts through the
 * participant's own session. Everyone else is refused before their document is even read.
 */
export function assertCanStateConsent(viewer: UserActor): void {
  if (!hasRole(viewer, 'participant'))
    throw new ForbiddenError('Only a participant can state their own consent');
}

/**
 * The official R4 schema first: a document that is not valid FHIR is a 400, as R4 says.
 * Contained resources are not checked here; the shape check after this refuses them anyway.
 */
function assertValidFhirConsent(document: unknown): void {
  const isObject = typeof document === 'object' && document !== null && !Array.isArray(document);
  // Another valid resource type would pass the schema; at this endpoint it is still wrong.
  if (isObject && (document as { resourceType?: unknown }).resourceType !== 'Consent')
    throw new FhirRequestError(400, 'invalid', 'Post a Consent here (resourceType Consent)');
  const issues = fhirSchemaIssues(document, 'skip');
  if (!issues.length) return;
  throw new FhirRequestError(
    400,
    'structure',
    'Not a valid FHIR R4 Consent',
    issues.map((issue) => ({
      severity: 'error',
      code: 'structure',
      diagnostics: `${issue.pointer || '/'} ${issue.message}`,
    })),
  );
}

/** A Consent created: the resource as GET now shows it and where that version lives. */
export interface CreatedConsent {
  resource: Consent;
  /** `<base>/Consent/<id>/_history/<version>` */
  location: string;
  version: number;
}

/**
 * What the consent rules refuse in a well-formed Consent (a disease the ontology does not know,
 * answers that contradict the nested purposes) as a 422 naming each problem, like the codes
 * `consentStatement` refuses; nothing has been written.
 */
function asUnprocessable(error: unknown): never {
  if (!(error instanceof ValidationError)) throw error;
  const issues = (error.issues.length ? error.issues.map((i) => i.message) : [error.message]).map(
    (diagnostics) => ({ severity: 'error' as const, code: 'business-rule' as const, diagnostics }),
  );
  throw new FhirRequestError(422, 'processing', 'Consent not accepted', issues);
}

/**
 * `POST /fhir/Consent`: a participant's standing preferences from a FHIR R4 Consent (from an EHR
 * or a consent app acting for them). Checks, in order: role (403), official schema (400), the
 * elements and codes we understand (422, naming each problem), the patient — their own, or 404
 * as for any read of another's record. Then one new preference version through
 * `setConsentPreferences`, which audits it and queues it for the chain, all in the caller's
 * transaction. Settings whose extension is absent keep their current value.
 */
export async function createFhirConsent(
  tx: Tx,
  viewer: UserActor,
  document: unknown,
  baseUrl: string,
): Promise<CreatedConsent> {
  assertCanStateConsent(viewer);
  assertValidFhirConsent(document);
  const statement = consentStatement(parseConsentInput(document), baseUrl);
  // Locked so that the settings carried over below are the ones the new version replaces.
  const [participant] = await tx
    .select()
    .from(participants)
    .where(eq(participants.userId, viewer.userId))
    .for('update');
  if (!participant || participant.pseudonym !== statement.pseudonym)
    throw new NotFoundError('Patient');
  const [current] = await preferenceHistory(tx, participant.id);
  const version = await setConsentPreferences(tx, viewer, {
    purposes: statement.purposes,
    // Left out when the Consent names no disease: the current per-disease choices are kept.
    ...(statement.diseases ? { diseases: statement.diseases } : {}),
    askEachTime: statement.askEachTime ?? current!.askEachTime,
    discoverable: statement.discoverable ?? current!.discoverable,
    recontact: statement.recontact ?? current!.recontact,
  }).catch(asUnprocessable);
  // A new standing "no" may cover studies that already received data under an earlier "yes".
  await askWhetherLaterNoApplies(tx, viewer, participant);
  const decisions = await participantStudyDecisions(tx, participant.id);
  const resource = toFhirConsent(participant, version, true, decisionsAsOf(decisions, null));
  const id = encodeURIComponent(participant.pseudonym);
  return {
    resource,
    location: `${baseUrl}/Consent/${id}/_history/${version.version}`,
    version: version.version,
  };
}
