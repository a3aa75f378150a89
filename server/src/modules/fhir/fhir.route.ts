import type { Database, Tx } from '../../db/database.js';
import { bearerToken, requestViewer } from '../../http/request-viewer.js';
import { APP_SCOPE, APP_TOKEN_PREFIX, resolveAppToken } from '../record/app-access.service.js';
import type { Route } from '../../http/router.js';
import type { UserActor } from '../actors/actor.js';
import { requireViewer } from './fhir-access.js';
import { readFhirAuditEvent, searchFhirAuditEvents } from './fhir-audit.service.js';
import { capabilityStatement } from './fhir-capability.js';
import { assertCanStateConsent, createFhirConsent } from './fhir-consent-create.service.js';
import {
  fhirConsentHistory,
  readFhirConsent,
  searchFhirConsent,
  vreadFhirConsent,
} from './fhir-consent.service.js';
import { errorOutcome, fhirJson, operationOutcome } from './fhir-http.js';
import { readFhirJson } from './fhir-request-body.js';
import { patientEverything } from './patient-everything.service.js';
import {
  assertCanAppendRecord,
  createFhirCondition,
  createFhirObservation,
} from './fhir-record-create.service.js';

/** Where the FHIR API is served. */
export const FHIR_PREFIX = '/fhir';

/** Options of the FHIR route. */
export interface FhirRouteOptions {
  /** Public absolute URL of `/fhir` for links; default: the request's origin + the prefix. */
  baseUrl?: string;
}

type Interaction = (tx: Tx, viewer: UserActor, params: URLSearchParams) => Promise<unknown>;

/** The path segments after `/fhir`, or null when one is not valid percent-encoding. */
function pathParts(pathname: string): string[] | null {
  try {
    return pathname.slice(FHIR_PREFIX.length).split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    return null;
  }
}

/** The interaction a path names, or null (404). */
function interaction(parts: string[], base: string): Interaction | null {
  const [type, id, op, vid] = parts;
  if (type === 'AuditEvent') {
    if (parts.length === 1) return (tx, v, p) => searchFhirAuditEvents(tx, v, p, base);
    if (parts.length === 2) return (tx, v) => readFhirAuditEvent(tx, v, id!);
  }
  // Patient/$everything (the participant in context) and Patient/<pseudonym>/$everything.
  if (type === 'Patient' && parts.length === 2 && id === '$everything')
    return (tx, v) => patientEverything(tx, v, null, base);
  if (type === 'Patient' && parts.length === 3 && op === '$everything')
    return (tx, v) => patientEverything(tx, v, id!, base);
  if (type === 'Consent') {
    if (parts.length === 1) return (tx, v, p) => searchFhirConsent(tx, v, p, base);
    if (parts.length === 2) return (tx, v) => readFhirConsent(tx, v, id!);
    if (parts.length === 3 && op === '_history')
      return (tx, v) => fhirConsentHistory(tx, v, id!, base);
    if (parts.length === 4 && op === '_history')
      return (tx, v) => vreadFhirConsent(tx, v, id!, vid!);
  }
  return null;
}

/** The types clinicians append to a record with `POST` (create only: no read or search yet). */
const RECORD_TYPES = { Condition: createFhirCondition, Observation: createFhirObservation };

const isRecordType = (type: string | undefined): type is keyof typeof RECORD_TYPES =>
  type === 'Condition' || type === 'Observation';

/** The methods a path answers: Consent also takes `POST` (create); Condition and Observation only it. */
function allowedMethods(parts: string[] | null): string {
  if (parts?.length === 1 && isRecordType(parts[0])) return 'POST';
  return parts?.length === 1 && parts[0] === 'Consent' ? 'GET, POST' : 'GET';
}

/**
 * `POST /fhir/Condition` or `/fhir/Observation`: 401 without a session, 403 for anyone but a
 * clinician (before the body is read), then the body and the service. 201 with `Location` of
 * the new resource and a collection Bundle holding it and its Provenance.
 */
async function createRecordResource(
  db: Database,
  request: Request,
  base: string,
  type: keyof typeof RECORD_TYPES,
): Promise<Response> {
  try {
    const viewer = requireViewer(await requestViewer(db, request));
    assertCanAppendRecord(viewer);
    const document = await readFhirJson(request);
    const made = await db.transaction((tx) => RECORD_TYPES[type](tx, viewer, document, base));
    return fhirJson(made.bundle, 201, { location: made.location, etag: 'W/"1"' });
  } catch (error) {
    return errorOutcome(error);
  }
}

/**
 * `POST /fhir/Consent`: 401 without a session, 403 for anyone but a participant — both before
 * the body is read — then the body (415, 413, 400 for what is not JSON) and the service.
 * 201 with `Location` of the new version, `ETag` and the Consent as GET now shows it.
 */
async function createConsent(db: Database, request: Request, base: string): Promise<Response> {
  try {
    const viewer = requireViewer(await requestViewer(db, request));
    assertCanStateConsent(viewer);
    const document = await readFhirJson(request);
    const created = await db.transaction((tx) => createFhirConsent(tx, viewer, document, base));
    return fhirJson(created.resource, 201, {
      location: created.location,
      etag: `W/"${created.version}"`,
      ...(created.resource.meta?.lastUpdated
        ? { 'last-modified': new Date(created.resource.meta.lastUpdated).toUTCString() }
        : {}),
    });
  } catch (error) {
    return errorOutcome(error);
  }
}

/** The pseudonym an `$everything` path names (null: the patient in context), or undefined. */
function everythingTarget(parts: string[] | null): string | null | undefined {
  if (parts?.length === 2 && parts[0] === 'Patient' && parts[1] === '$everything') return null;
  if (parts?.length === 3 && parts[0] === 'Patient' && parts[2] === '$everything') return parts[1];
  return undefined;
}

/**
 * A request with an app token (scope `patient/*.read`, issued by a participant): it reads that
 * participant's `Patient/$everything` and nothing else (403 for any other path or method, 404
 * for another patient); an unknown, expired or revoked token is 401.
 */
async function appRead(
  db: Database,
  request: Request,
  parts: string[] | null,
  base: string,
): Promise<Response> {
  const target = everythingTarget(parts);
  if (request.method !== 'GET' || target === undefined)
    return operationOutcome(
      403,
      'forbidden',
      `An app token has scope ${APP_SCOPE}: it reads GET Patient/$everything only`,
    );
  try {
    const bundle = await db.transaction(async (tx) => {
      const grant = await resolveAppToken(tx, bearerToken(request)!);
      if (!grant) return null;
      const viewer: UserActor = {
        kind: 'user',
        userId: grant.userId,
        role: 'participant',
        sessionId: null,
      };
      return patientEverything(tx, viewer, target, base, { tokenId: grant.tokenId });
    });
    if (!bundle)
      return operationOutcome(401, 'login', 'The app token is unknown, expired or revoked');
    return fhirJson(bundle);
  } catch (error) {
    return errorOutcome(error);
  }
}

/**
 * HL7 FHIR R4 under `/fhir`: `metadata`, AuditEvent read and search, Consent read, vread,
 * history and search, and Consent create (a participant stating their own preferences). Answers
 * are `application/fhir+json`; errors are OperationOutcomes (400 bad parameters or invalid FHIR,
 * 401 no token, 403 role, 404 missing or another participant's, 422 a Consent we cannot record).
 * Every read of participant data is audited in the same transaction as the read; a create is
 * audited and queued for the chain by the consent service.
 */
export function fhirRoute(db: Database, options: FhirRouteOptions = {}): Route {
  return {
    prefix: FHIR_PREFIX,
    handler: async (request) => {
      const url = new URL(request.url);
      const base = options.baseUrl ?? `${url.origin}${FHIR_PREFIX}`;
      const parts = pathParts(url.pathname);
      const allowed = allowedMethods(parts);
      const token = bearerToken(request);
      if (token?.startsWith(APP_TOKEN_PREFIX)) return appRead(db, request, parts, base);
      if (request.method === 'POST' && allowed.includes('POST'))
        return isRecordType(parts?.[0])
          ? createRecordResource(db, request, base, parts[0])
          : createConsent(db, request, base);
      if (request.method !== 'GET') {
        const res = operationOutcome(405, 'not-supported', `Only ${allowed} here`);
        res.headers.set('allow', allowed);
        return res;
      }
      // The capability statement is public, as FHIR clients fetch it before authenticating.
      if (parts?.length === 1 && parts[0] === 'metadata')
        return fhirJson(capabilityStatement(base));
      const run = parts && interaction(parts, base);
      if (!run) return operationOutcome(404, 'not-found', `No FHIR endpoint at ${url.pathname}`);
      try {
        const viewer = requireViewer(await requestViewer(db, request));
        const body = await db.transaction((tx) => run(tx, viewer, url.searchParams));
        return fhirJson(body);
      } catch (error) {
        return errorOutcome(error);
      }
    },
  };
}
