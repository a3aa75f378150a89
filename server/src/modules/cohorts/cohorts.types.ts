import { builder } from '../../builder.js';
import { inTransaction } from '../../graphql/run.js';
import { ResearchPurposeInput } from '../consent/research-purpose.types.js';
import { SexEnum } from '../participants/participants.types.js';
import { ZYGOSITIES, type CohortCriteria } from './cohort-criteria.js';
import { countCohortInTransaction, type CohortCountResult } from './cohort-count.service.js';
import type { ProtectedCount } from './count-privacy.js';

const ZygosityEnum = builder.enumType('Zygosity', { values: ZYGOSITIES });

const CohortCriteriaInputRef = builder.inputRef<CohortCriteria>('CohortCriteriaInput');

/** Cohort criteria as GraphQL input (recursive: anyOf, not). */
export const CohortCriteriaInput: typeof CohortCriteriaInputRef = CohortCriteriaInputRef;

const TermSourceEnum = builder.enumType('TermSource', {
  values: {
    ANY: {
      value: 'any',
      description: 'A dataset’s ingest, the participant’s own report or a clinician.',
    },
    CLINICIAN: { value: 'clinician', description: 'Clinician-confirmed only.' },
  } as const,
});

CohortCriteriaInputRef.implement({
  description:
    'Every field given must hold (AND). Variants, genes and regions match carriers of any listed; ' +
    'each listed phenotype and disease must be present (descendant terms included). ' +
    'Use anyOf for alternatives and not to exclude.',
  fields: (t) => ({
    datasets: t.idList({ required: false }),
    variants: t.stringList({
      required: false,
      description: 'CHROM-POS-REF-ALT, e.g. 17-7674220-C-T',
    }),
    genes: t.stringList({ required: false }),
    regions: t.stringList({ required: false, description: 'CHROM:START-END, 1-based inclusive' }),
    zygosity: t.field({ type: ZygosityEnum, required: false }),
    phenotypes: t.stringList({ required: false, description: 'HPO CURIEs' }),
    diseases: t.stringList({ required: false, description: 'MONDO CURIEs' }),
    sex: t.field({ type: SexEnum, required: false }),
    ageMin: t.int({ required: false }),
    ageMax: t.int({ required: false }),
    termSource: t.field({
      type: TermSourceEnum,
      required: false,
      description: 'Whose word phenotypes and diseases take (default ANY).',
    }),
    anyOf: t.field({ type: [CohortCriteriaInput], required: false }),
    not: t.field({ type: CohortCriteriaInput, required: false }),
  }),
});

const CountFigure = builder.objectRef<ProtectedCount>('CountFigure').implement({
  fields: (t) => ({
    count: t.exposeInt('count', { nullable: true, description: 'Null when suppressed.' }),
    display: t.exposeString('display', { description: 'What to show: "<20", "0" or the number.' }),
  }),
});

const ConsentBreakdown = builder
  .objectRef<NonNullable<CohortCountResult['breakdown']>>('ConsentBreakdown')
  .implement({
    fields: (t) => ({
      permitted: t.field({
        type: CountFigure,
        description: 'Consent already permits the purpose.',
        resolve: (b) => b.permitted,
      }),
      permittedSigned: t.field({
        type: CountFigure,
        description:
          'Of the permitted: consent signed by the participant’s own passkey, which the contract verified.',
        resolve: (b) => b.permittedSigned,
      }),
      permittedRecorded: t.field({
        type: CountFigure,
        description:
          'Of the permitted: consent recorded by the institution for the participant (no passkey signature).',
        resolve: (b) => b.permittedRecorded,
      }),
      ask: t.field({
        type: CountFigure,
        description: 'Would need to be asked.',
        resolve: (b) => b.ask,
      }),
      excluded: t.field({
        type: CountFigure,
        description: 'Consent excludes the purpose.',
        resolve: (b) => b.excluded,
      }),
    }),
  });

const CohortCount = builder.objectRef<CohortCountResult>('CohortCount').implement({
  description:
    'A protected count: 1..minCellCount−1 shows as "<minCellCount"; larger counts carry small deterministic noise.',
  fields: (t) => ({
    count: t.exposeInt('count', { nullable: true }),
    display: t.exposeString('display'),
    breakdown: t.field({ type: ConsentBreakdown, nullable: true, resolve: (r) => r.breakdown }),
    remainingBudget: t.exposeInt('remainingBudget', {
      description: 'Count queries left in your rolling 24 hours.',
    }),
  }),
});

builder.queryField('cohortCount', (t) =>
  t.field({
    type: CohortCount,
    description:
      'Counts eligible participants matching the criteria. Audited; limited per user per day (RATE_LIMITED). ' +
      'Bad criteria answer VALIDATION.',
    authScopes: { roles: ['researcher', 'ethics_board', 'steward', 'admin'] },
    args: {
      criteria: t.arg({ type: CohortCriteriaInput }),
      purpose: t.arg({ type: ResearchPurposeInput, required: false }),
    },
    resolve: (_root, args, ctx) =>
      countCohortInTransaction((fn) => inTransaction(ctx, fn), ctx.viewer, ctx.services.counter, {
        criteria: args.criteria,
        purpose: args.purpose,
      }),
  }),
);
