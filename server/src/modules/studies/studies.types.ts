import { builder } from '../../builder.js';
import { roleGatedRead, roleGatedWrite } from '../../graphql/role-gated-fields.js';
import { refusalAuditedTx } from '../../graphql/audit-refusals.js';
import { WRITE_ERRORS } from '../../graphql/error-types.js';
import { loadFound, loaders } from '../../graphql/loaders.js';
import { inTransaction } from '../../graphql/run.js';
import { CohortCriteriaInput } from '../cohorts/cohorts.types.js';
import type { ProtectedCount } from '../cohorts/count-privacy.js';
import type {
  CombinedMatchResult,
  DatasetMatchResult,
} from '../consent/duo/match-across-datasets.js';
import type { ResearchPurpose } from '../consent/duo/match-types.js';
import {
  MatchDecisionEnum,
  ModifierCheckType,
  ObligationType,
} from '../consent/duo-match.types.js';
import { purposeFromArgs, type ResearchPurposeArgs } from '../consent/research-purpose-args.js';
import {
  PurposeCategoryEnum,
  ResearchPurposeInput,
  SensitiveTopicEnum,
} from '../consent/research-purpose.types.js';
import { DatasetType } from '../datasets/datasets.types.js';
import {
  attachIrbEvidence,
  createStudy,
  getStudy,
  listStudies,
  submitStudy,
  updateStudy,
  withdrawStudy,
} from './studies.service.js';
import { studyCohortSummary, type StudyCohortView } from './study-cohort-figures.js';
import { STUDY_STATUSES } from './studies.tables.js';
import { irbEvidenceDigest } from './irb-evidence-upload.js';
import type { StudyRow } from './study-access.js';

export const StudyStatusEnum = builder.enumType('StudyStatus', {
  description:
    'draft → submitted → under review → approved | rejected | withdrawn; approved → expired | revoked | closed out.',
  values: Object.fromEntries(STUDY_STATUSES.map((s) => [s.toUpperCase(), { value: s }])) as {
    [K in Uppercase<(typeof STUDY_STATUSES)[number]>]: { value: Lowercase<K> };
  },
});

/** A research purpose as stored (output side of ResearchPurposeInput). */
export const ResearchPurposeType = builder.objectRef<ResearchPurpose>('ResearchPurpose').implement({
  fields: (t) => ({
    primary: t.field({ type: PurposeCategoryEnum, resolve: (p) => p.primary }),
    diseases: t.stringList({ resolve: (p) => [...p.diseases] }),
    commercial: t.exposeBoolean('commercial'),
    sensitive: t.field({ type: [SensitiveTopicEnum], resolve: (p) => [...p.sensitive] }),
    otherText: t.string({ nullable: true, resolve: (p) => p.otherText ?? null }),
    forProfitOrganisation: t.boolean({
      nullable: true,
      resolve: (p) => p.forProfitOrganisation ?? null,
    }),
    institution: t.string({ nullable: true, resolve: (p) => p.institution ?? null }),
    userIds: t.stringList({ nullable: true, resolve: (p) => (p.userIds ? [...p.userIds] : null) }),
    projectId: t.string({ nullable: true, resolve: (p) => p.projectId ?? null }),
    geography: t.string({ nullable: true, resolve: (p) => p.geography ?? null }),
    plannedPublication: t.string({ nullable: true, resolve: (p) => p.plannedPublication ?? null }),
  }),
});

const DatasetMatchType = builder.objectRef<DatasetMatchResult>('DatasetMatch').implement({
  description: 'The DUO match of the study purpose against one dataset’s data use.',
  fields: (t) => ({
    datasetId: t.exposeID('datasetId'),
    dataset: t.field({
      type: DatasetType,
      nullable: true,
      resolve: (m, _args, ctx) => loaders(ctx).dataset.load(m.datasetId),
    }),
    decision: t.field({ type: MatchDecisionEnum, resolve: (m) => m.decision }),
    reasons: t.exposeStringList('reasons'),
    obligations: t.field({ type: [ObligationType], resolve: (m) => m.obligations }),
    checks: t.field({
      type: [ModifierCheckType],
      description: 'One finding per modifier (empty on matches frozen before checks existed).',
      resolve: (m) => m.checks ?? [],
    }),
  }),
});

const StudyMatchType = builder.objectRef<CombinedMatchResult>('StudyMatch').implement({
  description: 'The DUO match per dataset, frozen when the request was submitted.',
  fields: (t) => ({
    decision: t.field({ type: MatchDecisionEnum, resolve: (m) => m.decision }),
    reasons: t.exposeStringList('reasons'),
    datasets: t.field({ type: [DatasetMatchType], resolve: (m) => m.datasets }),
    grantExpiryMonths: t.exposeInt('grantExpiryMonths', { nullable: true }),
  }),
});

/** A count as a viewer may see it. */
type ShownCount = ProtectedCount;
type CohortView = StudyCohortView;

const ShownCountType = builder.objectRef<ShownCount>('StudyCount').implement({
  fields: (t) => ({
    count: t.exposeInt('count', { nullable: true, description: 'Null when suppressed.' }),
    display: t.exposeString('display'),
  }),
});

const RequestTallyType = builder
  .objectRef<CohortView['requests']>('ConsentRequestTally')
  .implement({
    description: 'Answers to the consent requests so far, protected like the other figures.',
    fields: (t) => ({
      pending: t.field({ type: ShownCountType, resolve: (r) => r.pending }),
      permitted: t.field({ type: ShownCountType, resolve: (r) => r.permitted }),
      declined: t.field({ type: ShownCountType, resolve: (r) => r.declined }),
    }),
  });

const StudyCohortType = builder.objectRef<CohortView>('StudyCohort').implement({
  description:
    'The cohort right now, split by effective consent: permitted, to be asked, excluded. Answers update it at once.',
  fields: (t) => ({
    permitted: t.field({ type: ShownCountType, resolve: (c) => c.permitted }),
    ask: t.field({ type: ShownCountType, resolve: (c) => c.ask }),
    excluded: t.field({ type: ShownCountType, resolve: (c) => c.excluded }),
    requests: t.field({ type: RequestTallyType, resolve: (c) => c.requests }),
    exact: t.exposeBoolean('exact', {
      description:
        'True for ethics boards and admins; researchers see figures protected as cohortCount protects them.',
    }),
    frozenAt: t.expose('frozenAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When the figures were frozen (decision or withdrawal); null while live.',
    }),
  }),
});

const OwnerType = builder
  .objectRef<{ displayName: string; institution: string | null }>('StudyOwner')
  .implement({
    fields: (t) => ({
      displayName: t.exposeString('displayName'),
      institution: t.exposeString('institution', { nullable: true }),
    }),
  });

export const StudyType = builder.objectRef<StudyRow>('Study').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    title: t.exposeString('title'),
    laySummary: t.exposeString('laySummary'),
    laySummaryEs: t.exposeString('laySummaryEs', {
      nullable: true,
      description:
        'The lay summary in Spanish, or null: Spanish-speaking participants then read the English one.',
    }),
    status: t.field({ type: StudyStatusEnum, resolve: (s) => s.status as never }),
    purpose: t.field({ type: ResearchPurposeType, resolve: (s) => s.purpose as ResearchPurpose }),
    collaborators: t.exposeStringList('collaborators'),
    irbEvidenceSha256: t.exposeString('irbEvidenceSha256', { nullable: true }),
    irbEvidenceName: t.exposeString('irbEvidenceName', { nullable: true }),
    cohortCriteria: t.field({
      type: 'JSON',
      nullable: true,
      resolve: (s) => (s.cohortCriteria as Record<string, unknown> | null) ?? null,
    }),
    datasets: t.field({
      type: [DatasetType],
      resolve: (s, _args, ctx) => loadFound(loaders(ctx).dataset, s.datasetIds),
    }),
    match: t.field({
      type: StudyMatchType,
      nullable: true,
      resolve: (s) => (s.match as CombinedMatchResult | null) ?? null,
    }),
    owner: t.field({
      type: OwnerType,
      resolve: async (s, _args, ctx) => (await loaders(ctx).userProfile.load(s.ownerId))!,
    }),
    cohort: t.field({
      type: StudyCohortType,
      nullable: true,
      description: 'Null until submitted. Audited.',
      resolve: async (s, _args, ctx) => {
        const { counter } = ctx.services;
        const index = await counter.index();
        return inTransaction(ctx, (tx) => studyCohortSummary(tx, ctx.viewer, counter, index, s));
      },
    }),
    decisionRationale: t.exposeString('decisionRationale', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    submittedAt: t.expose('submittedAt', { type: 'DateTime', nullable: true }),
    decidedAt: t.expose('decidedAt', { type: 'DateTime', nullable: true }),
  }),
});

const CreateStudyInput = builder.inputType('CreateStudyInput', {
  fields: (t) => ({
    title: t.string(),
    laySummary: t.string({ description: 'Plain language: participants read it before deciding.' }),
    laySummaryEs: t.string({
      required: false,
      description: 'The lay summary in Spanish (optional; empty or null: none).',
    }),
    purpose: t.field({ type: ResearchPurposeInput }),
    collaborators: t.stringList({ required: false }),
    cohortCriteria: t.field({ type: CohortCriteriaInput, required: false }),
    datasetIds: t.idList({ required: false }),
  }),
});

const UpdateStudyInput = builder.inputType('UpdateStudyInput', {
  fields: (t) => ({
    title: t.string({ required: false }),
    laySummary: t.string({ required: false }),
    laySummaryEs: t.string({ required: false, description: 'Empty or null removes it.' }),
    purpose: t.field({ type: ResearchPurposeInput, required: false }),
    collaborators: t.stringList({ required: false }),
    cohortCriteria: t.field({ type: CohortCriteriaInput, required: false }),
    datasetIds: t.idList({ required: false }),
  }),
});

/** GraphQL nulls dropped, so absent means "unchanged"; the purpose as the matcher reads it. */
function studyInput(input: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) if (v !== null && v !== undefined) out[k] = v;
  if (out.purpose) out.purpose = purposeFromArgs(out.purpose as ResearchPurposeArgs);
  if (out.datasetIds) out.datasetIds = (out.datasetIds as (string | number)[]).map(String);
  if (out.cohortCriteria) out.cohortCriteria = JSON.parse(JSON.stringify(out.cohortCriteria));
  return out;
}

roleGatedRead('studies', {
  type: [StudyType],
  description: 'Your studies (researchers); every submitted study (ethics boards, admins).',
  roles: ['researcher', 'ethics_board', 'admin'],
  args: (t) => ({ statuses: t.arg({ type: [StudyStatusEnum], required: false }) }),
  run: (tx, viewer, args) => listStudies(tx, viewer, { statuses: args.statuses }),
});

roleGatedRead('study', {
  type: StudyType,
  description: 'One study you may see; others answer NOT_FOUND.',
  roles: ['researcher', 'ethics_board', 'admin'],
  args: (t) => ({ id: t.arg.id() }),
  audit: ({ id }) => ({ action: 'study.read', targetType: 'study', targetId: id }),
  run: (tx, viewer, { id }) => getStudy(tx, viewer, String(id)),
});

roleGatedWrite('createStudy', {
  type: StudyType,
  description: 'Opens a study as a draft (researchers).',
  roles: ['researcher'],
  args: (t) => ({ input: t.arg({ type: CreateStudyInput }) }),
  run: (tx, viewer, { input }) => createStudy(tx, viewer, studyInput(input)),
});

roleGatedWrite('updateStudy', {
  type: StudyType,
  description: 'Changes your draft; absent fields stay as they are.',
  roles: ['researcher'],
  args: (t) => ({ id: t.arg.id(), input: t.arg({ type: UpdateStudyInput }) }),
  audit: ({ id }) => ({ action: 'study.update', targetType: 'study', targetId: id }),
  run: (tx, viewer, { id, input }) => updateStudy(tx, viewer, String(id), studyInput(input)),
});

builder.mutationField('attachIrbEvidence', (t) =>
  t.field({
    type: StudyType,
    description:
      'Uploads the IRB approval letter of your draft: its SHA-256 is kept as evidence, the file is not.',
    authScopes: { roles: ['researcher'] },
    errors: { types: WRITE_ERRORS },
    args: { studyId: t.arg.id(), file: t.arg({ type: 'File' }) },
    resolve: async (_root, { studyId, file }, ctx) => {
      const evidence = await irbEvidenceDigest(file);
      return refusalAuditedTx(
        ctx,
        { action: 'study.evidence.attach', targetType: 'study', targetId: studyId },
        (tx) => attachIrbEvidence(tx, ctx.viewer, String(studyId), evidence),
      );
    },
  }),
);

builder.mutationField('submitStudy', (t) =>
  t.field({
    type: StudyType,
    description:
      'Submits your draft as an access request: freezes the DUO match, tells the board; asks participants whose consent says "ask" now only when CONSENT_REQUESTS_WHEN=before_decision (by default, once the board approves).',
    authScopes: { roles: ['researcher'] },
    errors: { types: WRITE_ERRORS },
    args: { id: t.arg.id() },
    resolve: async (_root, { id }, ctx) => {
      const index = await ctx.services.cohorts.current();
      return refusalAuditedTx(
        ctx,
        { action: 'study.submit', targetType: 'study', targetId: id },
        (tx) =>
          submitStudy(tx, ctx.viewer, index, String(id), ctx.config.review.consentRequestsWhen),
      );
    },
  }),
);

builder.mutationField('withdrawStudy', (t) =>
  t.field({
    type: StudyType,
    description: 'Withdraws your request before it is decided.',
    authScopes: { roles: ['researcher'] },
    errors: { types: WRITE_ERRORS },
    args: { id: t.arg.id() },
    resolve: async (_root, { id }, ctx) => {
      const { counter } = ctx.services;
      const index = await counter.index();
      return refusalAuditedTx(
        ctx,
        { action: 'study.withdraw', targetType: 'study', targetId: id },
        (tx) => withdrawStudy(tx, ctx.viewer, counter, index, String(id)),
      );
    },
  }),
);
