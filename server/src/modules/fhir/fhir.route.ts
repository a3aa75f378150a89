import type { Database, Tx } from '../../db/database.js';
import { requestViewer } from '../../http/request-viewer.js';
import type { Route } from '../../http/router.js';
import type { UserActor } from '../accounts/actor.js';
import { requireViewer } from './fhir-access.js';
import { readFhirAuditEvent, searchFhirAuditEvents } from './fhir-audit.service.js';
import { capabilityStatement } from './fhir-capability.js';
import {
  fhirConsentHistory,
  readFhirConsent,
  searchFhirConsent,
  vreadFhirConsent,
} from './fhir-consent.service.js';
import { errorOutcome, fhirJson, operationOutcome } from './fhir-http.js';

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

/**
 * HL7 FHIR R4 (read only) under `/fhir`: `metadata`, AuditEvent read and search, Consent read,
 * vread, history and search. Answers are `application/fhir+json`; errors are OperationOutcomes
 * (400 bad parameters, 401 no token, 403 role, 404 missing or another participant's). Every read
 * of participant data is audited in the same transaction as the read.
 */
export function fhirRoute(db: Database, options: FhirRouteOptions = {}): Route {
  return {
    prefix: FHIR_PREFIX,
    handler: async (request) => {
      const url = new URL(request.url);
      const base = options.baseUrl ?? `${url.origin}${FHIR_PREFIX}`;
      const parts = pathParts(url.pathname);
      if (request.method !== 'GET') {
        const res = operationOutcome(405, 'not-supported', 'Only GET is supported');
        res.headers.set('allow', 'GET');
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
