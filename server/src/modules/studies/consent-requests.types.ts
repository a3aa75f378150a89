import type { FieldMap } from '@pothos/core';
import { builder } from '../../builder.js';
import { roleGatedRead } from '../../graphql/role-gated-fields.js';
import type { ResearchPurpose } from '../consent/duo/match-types.js';
import {
  myConsentRequests,
  type ConsentRequestView,
  type LayStudyView,
} from './consent-requests.service.js';
import { ResearchPurposeType, StudyStatusEnum } from './studies.types.js';

export const StudyDecisionEnum = builder.enumType('StudyDecision', {
  description: 'A participant’s answer to one study.',
  values: { PERMIT: { value: 'permit' }, DENY: { value: 'deny' } } as const,
});

export const RequestStatusEnum = builder.enumType('ConsentRequestStatus', {
  values: {
    PENDING: { value: 'pending' },
    ANSWERED: { value: 'answered' },
    CLOSED: { value: 'closed' },
  } as const,
});

export const RequestReasonEnum = builder.enumType('ConsentRequestReason', {
  description: 'Why you are asked (docs/consent-precedence.md).',
  values: {
    ASK: { value: 'ask', description: 'Your consent says "ask me" for studies like this one.' },
    LATER_NO: {
      value: 'later_no',
      description:
        'You said yes to this study, which already received data, and later said no to research ' +
        'of its kind: does your "no" apply to this study too? Until you answer, your yes stands.',
    },
  } as const,
});

/** The field builder of an object type whose shape is a study's lay side (or more). */
type LayStudyFieldBuilder = PothosSchemaTypes.ObjectFieldBuilder<
  typeof builder extends PothosSchemaTypes.SchemaBuilder<infer Types> ? Types : never,
  LayStudyView
>;

/**
 * The fields a participant reads about a study, in the order the schema prints them: shared by
 * `LayStudy` (a consent request's study) and `DataUseStudy` (my data use), which say the same.
 */
export const layStudyFields = (t: LayStudyFieldBuilder): FieldMap => ({
  id: t.exposeID('id'),
  title: t.exposeString('title'),
  laySummary: t.exposeString('laySummary'),
  laySummaryEs: t.exposeString('laySummaryEs', {
    nullable: true,
    description: 'The lay summary in Spanish, or null: show the English one.',
  }),
  purpose: t.field({ type: ResearchPurposeType, resolve: (s) => s.purpose as ResearchPurpose }),
  status: t.field({ type: StudyStatusEnum, resolve: (s) => s.status as never }),
});

const LayStudyType = builder.objectRef<LayStudyView>('LayStudy').implement({
  description: 'What a participant is told about a study that asks for their data.',
  fields: layStudyFields,
});

export const ConsentRequestType = builder
  .objectRef<ConsentRequestView>('ConsentRequest')
  .implement({
    fields: (t) => ({
      id: t.exposeID('id'),
      status: t.field({ type: RequestStatusEnum, resolve: (r) => r.status as never }),
      reason: t.field({ type: RequestReasonEnum, resolve: (r) => r.reason }),
      createdAt: t.expose('createdAt', { type: 'DateTime' }),
      answeredAt: t.expose('answeredAt', { type: 'DateTime', nullable: true }),
      study: t.field({ type: LayStudyType, resolve: (r) => r.study }),
      decision: t.field({ type: StudyDecisionEnum, nullable: true, resolve: (r) => r.decision }),
    }),
  });

roleGatedRead('myConsentRequests', {
  type: [ConsentRequestType],
  description: 'Studies asking for your data, newest first (participants only). Audited.',
  roles: ['participant'],
  run: (tx, viewer) => myConsentRequests(tx, viewer),
});
