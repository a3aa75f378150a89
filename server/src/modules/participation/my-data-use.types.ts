import { builder } from '../../builder.js';
import { roleGatedRead } from '../../graphql/role-gated-fields.js';
import { TimelineEventType } from '../audit-explorer/participant-timeline.types.js';
import {
  RequestStatusEnum,
  StudyDecisionEnum,
  layStudyFields,
} from '../studies/consent-requests.types.js';
import { myDataUse, type DataUseEntry } from './my-data-use.service.js';

const DataUseStudyType = builder.objectRef<DataUseEntry['study']>('DataUseStudy').implement({
  fields: (t) => ({
    ...layStudyFields(t),
    submittedAt: t.expose('submittedAt', { type: 'DateTime', nullable: true }),
    decidedAt: t.expose('decidedAt', { type: 'DateTime', nullable: true }),
    decisionRationale: t.exposeString('decisionRationale', {
      nullable: true,
      description: 'The ethics board’s reasons for its decision.',
    }),
  }),
});

const DataUseExportType = builder
  .objectRef<DataUseEntry['exports'][number]>('DataUseExport')
  .implement({
    fields: (t) => ({
      id: t.exposeID('id'),
      createdAt: t.expose('createdAt', { type: 'DateTime' }),
      sampleId: t.exposeString('sampleId', {
        description:
          'The id your data carried in that export (the researchers never saw who you are).',
      }),
    }),
  });

const DataUseEntryType = builder.objectRef<DataUseEntry>('DataUseEntry').implement({
  fields: (t) => ({
    study: t.field({ type: DataUseStudyType, resolve: (e) => e.study }),
    requestStatus: t.field({
      type: RequestStatusEnum,
      nullable: true,
      description: 'Whether you were asked (null: your standing preferences decided).',
      resolve: (e) => e.requestStatus as never,
    }),
    decision: t.field({
      type: StudyDecisionEnum,
      nullable: true,
      description: 'Your answer to this study, if you gave one.',
      resolve: (e) => e.decision,
    }),
    inGrant: t.exposeBoolean('inGrant'),
    grantExpiresAt: t.expose('grantExpiresAt', { type: 'DateTime', nullable: true }),
    exports: t.field({ type: [DataUseExportType], resolve: (e) => e.exports }),
    events: t.field({ type: [TimelineEventType], resolve: (e) => e.events }),
  }),
});

roleGatedRead('myDataUse', {
  type: [DataUseEntryType],
  description:
    'Every study that requested or used your data, with the board’s decision, the exports that included you, and chain proofs.',
  roles: ['participant'],
  run: (tx, viewer) => myDataUse(tx, viewer),
});
