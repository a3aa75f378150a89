import type {
  AuditEvent,
  AuditEventAgent,
  AuditEventEntity,
  AuditEventEntityDetail,
  Coding,
} from '@medplum/fhirtypes';
import type { AuditEventRecord } from '../audit-explorer/audit-query.service.js';
import { fhirAuditAction } from './fhir-audit-action.js';
import { SYSTEMS } from './fhir-systems.js';

/** The on-chain anchor of the batch holding an event, when its transaction is confirmed. */
export interface AuditAnchor {
  batch: number;
  merkleRoot: string;
  chainId: string;
  txHash: string;
  height: number;
  blockTime: string;
}

/** What mapping an event needs besides its row. */
export interface AuditEventContext {
  /** Participant id → pseudonym: resources name participants by pseudonym, never by UUID. */
  pseudonyms: ReadonlyMap<string, string>;
  /** User id → pseudonym, for actors who are participants. */
  actorPseudonyms: ReadonlyMap<string, string>;
  /** Sequence number → anchor of its batch (only anchored events). */
  anchors: ReadonlyMap<number, AuditAnchor>;
}

const dcm = (code: string, display: string): Coding => ({ system: SYSTEMS.dicom, code, display });

/** AuditEvent.type: the DICOM event IDs FHIR R4 binds, or `rest` for our own FHIR API. */
function eventType(action: string): Coding {
  const [domain = ''] = action.split('.');
  const verb = action.slice(action.lastIndexOf('.') + 1);
  if (domain === 'fhir')
    return { system: SYSTEMS.auditEventType, code: 'rest', display: 'RESTful Operation' };
  if (domain === 'auth') return dcm('110114', 'User Authentication');
  if (domain === 'audit') return dcm('110101', 'Audit Log Used');
  if (verb === 'import' || verb === 'ingest') return dcm('110107', 'Import');
  if (verb === 'list' || verb === 'count' || verb === 'query') return dcm('110112', 'Query');
  if (['participant', 'consent', 'enrolment_code'].includes(domain))
    return dcm('110110', 'Patient Record');
  return dcm('110100', 'Application Activity');
}

function agent(row: AuditEventRecord, ctx: AuditEventContext): AuditEventAgent {
  const participantPseudonym = row.actorId ? ctx.actorPseudonyms.get(row.actorId) : undefined;
  // Users are named by their opaque account id (never a name or e-mail); participants by pseudonym.
  const who = participantPseudonym
    ? { reference: `Patient/${participantPseudonym}` }
    : row.actorId
      ? { identifier: { system: SYSTEMS.user, value: row.actorId } }
      : { display: row.actorRole === 'system' ? 'Consentome system' : 'anonymous' };
  return {
    type: { coding: [{ system: SYSTEMS.role, code: row.actorRole }] },
    who,
    requestor: true,
  };
}

function detail(type: string, value: string | number): AuditEventEntityDetail {
  return { type, valueString: String(value) };
}

/** The integrity facts of an event: its place in the hash chain and, when anchored, the proof. */
function integrityEntity(row: AuditEventRecord, anchor: AuditAnchor | undefined): AuditEventEntity {
  const details = [
    detail('seq', row.seq),
    detail('hash', row.hash),
    detail('prevHash', row.prevHash),
  ];
  if (anchor) {
    details.push(
      detail('anchor.batch', anchor.batch),
      detail('anchor.merkleRoot', anchor.merkleRoot),
      detail('anchor.chainId', anchor.chainId),
      detail('anchor.txHash', anchor.txHash),
      detail('anchor.height', anchor.height),
      detail('anchor.blockTime', anchor.blockTime),
    );
  }
  return {
    what: { identifier: { system: SYSTEMS.auditEvent, value: String(row.seq) } },
    type: { system: SYSTEMS.entityType, code: '2', display: 'System Object' },
    name: 'audit-log-integrity',
    detail: details,
  };
}

function entities(row: AuditEventRecord, ctx: AuditEventContext): AuditEventEntity[] {
  const result: AuditEventEntity[] = [];
  const patientId =
    row.participantId ?? (row.targetType === 'participant' ? row.targetId : null) ?? null;
  const pseudonym = patientId ? ctx.pseudonyms.get(patientId) : undefined;
  if (pseudonym) {
    result.push({
      what: { reference: `Patient/${pseudonym}` },
      type: { system: SYSTEMS.entityType, code: '1', display: 'Person' },
      role: { system: SYSTEMS.objectRole, code: '1', display: 'Patient' },
    });
  }
  // A participant target is already the Patient entity: never repeat its internal UUID.
  if (row.targetType && row.targetType !== 'participant') {
    result.push({
      what: {
        identifier: {
          system: `${SYSTEMS.target}/${row.targetType}`,
          ...(row.targetId ? { value: row.targetId } : {}),
        },
      },
      type: { system: SYSTEMS.entityType, code: '2', display: 'System Object' },
    });
  }
  result.push(integrityEntity(row, ctx.anchors.get(row.seq)));
  return result;
}

/**
 * One audit row as a FHIR R4 AuditEvent. Every event we record happened (refusals are recorded
 * as their own actions, e.g. `auth.login_failed`), so the outcome is always 0 (success). The
 * payload is left out: it may hold internal ids, and the hash details let a verifier who holds
 * the log check the chain.
 */
export function toFhirAuditEvent(row: AuditEventRecord, ctx: AuditEventContext): AuditEvent {
  return {
    resourceType: 'AuditEvent',
    id: String(row.seq),
    type: eventType(row.action),
    subtype: [{ system: SYSTEMS.auditAction, code: row.action }],
    action: fhirAuditAction(row.action),
    recorded: row.occurredAt.toISOString(),
    outcome: '0',
    agent: [agent(row, ctx)],
    source: {
      observer: { display: 'Consentome' },
      type: [{ system: SYSTEMS.securitySourceType, code: '4', display: 'Application Server' }],
    },
    entity: entities(row, ctx),
  };
}
