import { builder } from '../../builder.js';
import { roleGatedRead } from '../../graphql/role-gated-fields.js';
import { inTransaction } from '../../graphql/run.js';
import {
  listAuditEvents,
  runAuditVerification,
  type ListedAuditEvent,
} from './audit-query.service.js';
import type { AuditVerification } from '../audit/audit-verify.js';

const AuditEventType = builder.objectRef<ListedAuditEvent>('AuditEvent').implement({
  description: 'One entry of the append-only, hash-chained audit trail.',
  fields: (t) => ({
    seq: t.exposeInt('seq'),
    occurredAt: t.expose('occurredAt', { type: 'DateTime' }),
    actorId: t.exposeID('actorId', { nullable: true }),
    actorRole: t.exposeString('actorRole'),
    action: t.exposeString('action'),
    targetType: t.exposeString('targetType', { nullable: true }),
    targetId: t.exposeString('targetId', { nullable: true }),
    participantId: t.exposeID('participantId', { nullable: true }),
    participantPseudonym: t.exposeString('participantPseudonym', {
      nullable: true,
      description: 'The pseudonym of the participant the event concerns (never a name).',
    }),
    payload: t.exposeString('payload', {
      description: 'Canonical JSON (RFC 8785) of the event details.',
    }),
    prevHash: t.exposeString('prevHash'),
    hash: t.exposeString('hash'),
  }),
});

const BrokenEventType = builder
  .objectRef<{ seq: number; reason: string }>('AuditBrokenEvent')
  .implement({
    fields: (t) => ({ seq: t.exposeInt('seq'), reason: t.exposeString('reason') }),
  });

const AuditVerificationType = builder.objectRef<AuditVerification>('AuditVerification').implement({
  fields: (t) => ({
    ok: t.exposeBoolean('ok'),
    checkedEvents: t.exposeInt('checkedEvents'),
    lastSeq: t.exposeInt('lastSeq'),
    headHash: t.exposeString('headHash'),
    firstBroken: t.field({ type: BrokenEventType, nullable: true, resolve: (v) => v.firstBroken }),
  }),
});

export const AuditFilter = builder.inputType('AuditFilter', {
  description:
    'Narrows the trail. Identifiers, roles, action names and dates only, never e-mail addresses.',
  fields: (t) => ({
    action: t.string({ required: false, description: 'An exact action, e.g. user.create.' }),
    actionGroup: t.string({
      required: false,
      description: 'Every action of one domain, e.g. consent (the part before the first dot).',
    }),
    actorId: t.id({ required: false }),
    actorRole: t.string({
      required: false,
      description: 'A role, or system, or anonymous.',
    }),
    participantId: t.id({ required: false }),
    participantPseudonym: t.string({ required: false }),
    targetType: t.string({ required: false, description: 'What was acted on, e.g. user, study.' }),
    targetId: t.string({ required: false }),
    from: t.field({ type: 'DateTime', required: false }),
    to: t.field({ type: 'DateTime', required: false }),
    beforeSeq: t.int({
      required: false,
      description: 'Events older than this sequence number (paging). Ignored by auditActivity.',
    }),
    limit: t.int({ required: false, description: 'At most 500. Ignored by auditActivity.' }),
  }),
});

roleGatedRead('auditEvents', {
  type: [AuditEventType],
  description: 'Audit events, newest first. The read itself is audited.',
  roles: ['ethics_board', 'admin'],
  args: (t) => ({ filter: t.arg({ type: AuditFilter, required: false }) }),
  run: (tx, viewer, { filter }) =>
    listAuditEvents(tx, viewer, {
      ...filter,
      limit: filter?.limit ?? undefined,
    }),
});

builder.mutationField('verifyAuditTrail', (t) =>
  t.field({
    type: AuditVerificationType,
    description:
      'Recomputes the hash chain and names the first broken event. Recorded in the trail.',
    authScopes: { roles: ['ethics_board', 'admin'] },
    resolve: (_root, _args, ctx) =>
      inTransaction(ctx, (tx) => runAuditVerification(tx, ctx.viewer)),
  }),
);
