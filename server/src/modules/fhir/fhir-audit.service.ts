import type { AuditEvent, Bundle } from '@medplum/fhirtypes';
import { and, desc, eq, gte, inArray, lt, notInArray, or, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { NotFoundError } from '../../errors/app-errors.js';
import type { UserActor } from '../actors/actor.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { auditEvents } from '../audit/audit.tables.js';
import {
  assertCanReadParticipantResources,
  isOverseer,
  participantByPseudonym,
  patientPseudonym,
  viewerParticipant,
} from './fhir-access.js';
import { FHIR_AUDIT_ACTIONS, VERBS_BY_ACTION, type FhirAuditAction } from './fhir-audit-action.js';
import { auditEventContext } from './fhir-audit-context.js';
import { toFhirAuditEvent } from './fhir-audit-event.js';
import { badParameter } from './fhir-http.js';
import {
  assertKnownParams,
  intersectDates,
  parseCount,
  parseCursor,
  parseDateParam,
  single,
} from './fhir-search-params.js';

/** The search parameters of `GET /fhir/AuditEvent`. */
export const AUDIT_EVENT_PARAMS = ['patient', 'date', 'action', '_count', '_cursor'] as const;

// The verb is the last dotted segment of our action; SQL mirrors fhirAuditAction().
const verb = sql<string>`regexp_replace(${auditEvents.action}, '^.*\\.', '')`;
const ALL_VERBS = Object.values(VERBS_BY_ACTION).flat();

function actionCondition(code: FhirAuditAction): SQL {
  return code === 'E' ? notInArray(verb, ALL_VERBS) : inArray(verb, [...VERBS_BY_ACTION[code]]);
}

/** `action=C,R` means C or R (FHIR token lists are ORed); repeated parameters are ANDed. */
function actionConditions(values: string[]): SQL[] {
  return values.map((value) => {
    const codes = value.split(',');
    for (const code of codes)
      if (!(FHIR_AUDIT_ACTIONS as readonly string[]).includes(code))
        throw badParameter(`action: '${code}' is not one of ${FHIR_AUDIT_ACTIONS.join(', ')}`);
    return or(...codes.map((c) => actionCondition(c as FhirAuditAction)))!;
  });
}

/**
 * The participant whose events the caller may see: a participant is pinned to their own record
 * (naming anyone else answers 404, as reading another participant's data does everywhere);
 * boards and admins may name anyone, and an unknown pseudonym simply matches nothing.
 */
async function scopeParticipant(
  tx: Tx,
  viewer: UserActor,
  patient: string | null,
): Promise<{ id: string | null; none: boolean }> {
  if (isOverseer(viewer)) {
    if (patient === null) return { id: null, none: false };
    const row = await participantByPseudonym(tx, patientPseudonym(patient));
    return row ? { id: row.id, none: false } : { id: null, none: true };
  }
  const own = await viewerParticipant(tx, viewer);
  if (patient !== null && (!own || patientPseudonym(patient) !== own.pseudonym))
    throw new NotFoundError('Patient');
  return own ? { id: own.id, none: false } : { id: null, none: true };
}

/**
 * `GET /fhir/AuditEvent`: the audit trail as a searchset Bundle, newest first, paged by a
 * sequence cursor so pages stay stable while new events are appended. The search is audited
 * (`fhir.read`) in the same transaction, after the page is read, so it is never in its own page.
 */
export async function searchFhirAuditEvents(
  tx: Tx,
  viewer: UserActor,
  params: URLSearchParams,
  baseUrl: string,
): Promise<Bundle<AuditEvent>> {
  assertCanReadParticipantResources(viewer);
  assertKnownParams(params, AUDIT_EVENT_PARAMS);
  const count = parseCount(single(params, '_count'));
  const cursor = parseCursor(single(params, '_cursor'));
  const dates = intersectDates(params.getAll('date').map(parseDateParam));
  const actions = actionConditions(params.getAll('action'));
  const patient = single(params, 'patient');
  const scope = await scopeParticipant(tx, viewer, patient);

  const where: SQL[] = [...actions];
  if (scope.id) where.push(eq(auditEvents.participantId, scope.id));
  if (dates.from) where.push(gte(auditEvents.occurredAt, dates.from));
  if (dates.to) where.push(lt(auditEvents.occurredAt, dates.to));
  if (cursor !== null) where.push(lt(auditEvents.seq, cursor));
  const rows = scope.none
    ? []
    : await tx
        .select()
        .from(auditEvents)
        .where(where.length ? and(...where) : undefined)
        .orderBy(desc(auditEvents.seq))
        .limit(count + 1);
  const page = rows.slice(0, count);
  const ctx = await auditEventContext(tx, page);

  const self = new URLSearchParams(params);
  const link: Bundle['link'] = [{ relation: 'self', url: searchUrl(baseUrl, self) }];
  const last = page[page.length - 1];
  if (rows.length > count && last) {
    const next = new URLSearchParams(params);
    next.set('_cursor', String(last.seq));
    next.set('_count', String(count));
    link.push({ relation: 'next', url: searchUrl(baseUrl, next) });
  }

  await appendAuditEvent(tx, viewer, {
    action: 'fhir.read',
    targetType: 'AuditEvent',
    participantId: scope.id ?? undefined,
    payload: {
      interaction: 'search-type',
      resource: 'AuditEvent',
      filter: {
        participantId: scope.id,
        from: dates.from?.toISOString() ?? null,
        to: dates.to?.toISOString() ?? null,
        action: params.getAll('action'),
        cursor,
        count,
      },
      returned: page.length,
    },
  });
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    timestamp: new Date().toISOString(),
    link,
    entry: page.map((row) => ({
      fullUrl: `${baseUrl}/AuditEvent/${row.seq}`,
      resource: toFhirAuditEvent(row, ctx),
      search: { mode: 'match' },
    })),
  };
}

function searchUrl(baseUrl: string, params: URLSearchParams): string {
  const query = params.toString();
  return `${baseUrl}/AuditEvent${query ? `?${query}` : ''}`;
}

/**
 * `GET /fhir/AuditEvent/<seq>`: one event. A participant reading an event that is not about them
 * gets 404, exactly as for an event that does not exist. The read is audited.
 */
export async function readFhirAuditEvent(
  tx: Tx,
  viewer: UserActor,
  id: string,
): Promise<AuditEvent> {
  assertCanReadParticipantResources(viewer);
  if (!/^[1-9]\d{0,15}$/.test(id)) throw new NotFoundError('AuditEvent');
  const [row] = await tx
    .select()
    .from(auditEvents)
    .where(eq(auditEvents.seq, Number(id)));
  if (!row) throw new NotFoundError('AuditEvent');
  if (!isOverseer(viewer)) {
    const own = await viewerParticipant(tx, viewer);
    if (!own || row.participantId !== own.id) throw new NotFoundError('AuditEvent');
  }
  const resource = toFhirAuditEvent(row, await auditEventContext(tx, [row]));
  await appendAuditEvent(tx, viewer, {
    action: 'fhir.read',
    targetType: 'AuditEvent',
    targetId: String(row.seq),
    participantId: row.participantId ?? undefined,
    payload: { interaction: 'read', resource: 'AuditEvent', seq: row.seq },
  });
  return resource;
}
