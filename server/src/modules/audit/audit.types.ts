import { builder } from '../../builder.js';
import { inTransaction } from '../../graphql/run.js';
import {
  listAuditEvents,
  runAuditVerification,
  type AuditEventRecord,
} from './audit-query.service.js';
import type { AuditVerification } from './audit-verify.js';

const AuditEventType = builder.objectRef<AuditEventRecord>('AuditEvent').implement({
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

const AuditFilter = builder.inputType('AuditFilter', {
  fields: (t) => ({
    action: t.string({ required: false }),
    actorId: t.id({ required: false }),
    participantId: t.id({ required: false }),
    from: t.field({ type: 'DateTime', required: false }),
    to: t.field({ type: 'DateTime', required: false }),
    beforeSeq: t.int({ required: false }),
    limit: t.int({ required: false }),
  }),
});

builder.queryField('auditEvents', (t) =>
  t.field({
    type: [AuditEventType],
    description: 'Audit events, newest first. The read itself is audited.',
    authScopes: { roles: ['ethics_board', 'admin'] },
    args: { filter: t.arg({ type: AuditFilter, required: false }) },
    resolve: (_root, { filter }, ctx) =>
      inTransaction(ctx, (tx) =>
        listAuditEvents(tx, ctx.viewer, {
          ...filter,
          limit: filter?.limit ?? undefined,
        }),
      ),
  }),
);

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
