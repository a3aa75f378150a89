import { builder } from '../../builder.js';
import { roleGatedRead } from '../../graphql/role-gated-fields.js';
import {
  auditActivity,
  type ActivityBucket,
  type AuditActivity,
} from './audit-activity.service.js';
import { auditFacets, type AuditActor, type AuditFacets } from './audit-facets.service.js';
import { AuditFilter } from './audit.types.js';

const AuditBucketEnum = builder.enumType('AuditBucket', {
  description: 'The width of one bar of the activity chart (UTC).',
  values: ['HOUR', 'DAY'] as const,
});

const GroupCountType = builder
  .objectRef<{ group: string; count: number }>('AuditGroupCount')
  .implement({
    fields: (t) => ({
      group: t.exposeString('group', { description: 'An action group, e.g. consent, user.' }),
      count: t.exposeInt('count'),
    }),
  });

const ActivityBucketType = builder.objectRef<ActivityBucket>('AuditActivityBucket').implement({
  fields: (t) => ({
    start: t.expose('start', { type: 'DateTime' }),
    total: t.exposeInt('total'),
    counts: t.field({
      type: [GroupCountType],
      description: 'Non-zero counts per action group, in the order of AuditActivity.groups.',
      resolve: (b) => b.counts,
    }),
  }),
});

const AuditActivityType = builder.objectRef<AuditActivity>('AuditActivity').implement({
  description: 'Audit events over time, counted per action group.',
  fields: (t) => ({
    bucket: t.field({ type: AuditBucketEnum, resolve: (a) => a.bucket }),
    from: t.expose('from', { type: 'DateTime' }),
    to: t.expose('to', { type: 'DateTime' }),
    groups: t.exposeStringList('groups', { description: 'Action groups, most frequent first.' }),
    buckets: t.field({
      type: [ActivityBucketType],
      description: 'Every bucket of the range, empty ones included.',
      resolve: (a) => a.buckets,
    }),
    total: t.exposeInt('total'),
  }),
});

const AuditActorType = builder.objectRef<AuditActor>('AuditActor').implement({
  description: 'A staff account that appears in the audit trail.',
  fields: (t) => ({
    id: t.exposeID('id'),
    displayName: t.exposeString('displayName'),
    role: t.exposeString('role'),
  }),
});

const AuditFacetsType = builder.objectRef<AuditFacets>('AuditFacets').implement({
  description: 'The values the audit filter can take, for pickers.',
  fields: (t) => ({
    actions: t.exposeStringList('actions'),
    targetTypes: t.exposeStringList('targetTypes'),
    actors: t.field({ type: [AuditActorType], resolve: (f) => f.actors }),
  }),
});

roleGatedRead('auditActivity', {
  type: AuditActivityType,
  description:
    'Events matching the filter per hour or UTC day and per action group (default: the last 30 days, or 48 hours). Audited.',
  roles: ['ethics_board', 'admin'],
  args: (t) => ({
    filter: t.arg({ type: AuditFilter, required: false }),
    bucket: t.arg({ type: AuditBucketEnum, required: false }),
  }),
  run: (tx, viewer, { filter, bucket }) =>
    auditActivity(tx, viewer, {
      ...filter,
      beforeSeq: undefined,
      limit: undefined,
      bucket: bucket ?? undefined,
    }),
});

roleGatedRead('auditFacets', {
  type: AuditFacetsType,
  description: 'Actions, target types and staff actors present in the trail. Audited.',
  roles: ['ethics_board', 'admin'],
  run: (tx, viewer) => auditFacets(tx, viewer),
});
