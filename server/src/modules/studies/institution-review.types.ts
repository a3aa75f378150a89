import { builder } from '../../builder.js';
import { roleGatedRead } from '../../graphql/role-gated-fields.js';
import { refusalAuditedTx } from '../../graphql/audit-refusals.js';
import { loaders } from '../../graphql/loaders.js';
import { inTransaction } from '../../graphql/run.js';
import { WRITE_ERRORS } from '../../graphql/error-types.js';
import {
  acceptancesOf,
  currentAgreements,
  type AgreementRow,
} from '../dacs/data-use-agreements.js';
import { DataUseAgreementType } from '../dacs/data-use-agreements.types.js';
import { StudyType } from './studies.types.js';
import {
  approveAsSigningOfficial,
  committeesOfRequest,
  declineAsSigningOfficial,
  institutionReviewsOf,
  requestsWaitingForMe,
  type InstitutionReviewRow,
} from './institution-review.js';
import { INSTITUTION_DECISIONS } from './institution-review.tables.js';

const InstitutionDecisionEnum = builder.enumType('InstitutionDecision', {
  description:
    'What the institution decided before the committees: approved, returned to the researcher, rejected, or a library card stood in.',
  values: Object.fromEntries(INSTITUTION_DECISIONS.map((d) => [d.toUpperCase(), { value: d }])) as {
    [K in Uppercase<(typeof INSTITUTION_DECISIONS)[number]>]: { value: Lowercase<K> };
  },
});

const InstitutionReviewType = builder
  .objectRef<InstitutionReviewRow>('InstitutionReview')
  .implement({
    description: 'The signing official’s decision on one submission of a request.',
    fields: (t) => ({
      id: t.exposeID('id'),
      decision: t.field({ type: InstitutionDecisionEnum, resolve: (r) => r.decision as never }),
      reason: t.exposeString('reason', { nullable: true }),
      decidedAt: t.expose('decidedAt', { type: 'DateTime' }),
      signingOfficial: t.string({
        description: 'The official’s name.',
        resolve: async (r, _args, ctx) =>
          (await loaders(ctx).userProfile.load(r.signingOfficialId))?.displayName ?? '',
      }),
    }),
  });

const RequestAgreementType = builder
  .objectRef<{ agreement: AgreementRow; acceptedByPi: Date | null }>('RequestAgreement')
  .implement({
    description:
      'The current data use agreement of a committee a request goes to, and whether its principal investigator accepted it.',
    fields: (t) => ({
      agreement: t.field({ type: DataUseAgreementType, resolve: (r) => r.agreement }),
      acceptedByPi: t.field({ type: 'DateTime', nullable: true, resolve: (r) => r.acceptedByPi }),
    }),
  });

builder.objectField(StudyType, 'institutionReviews', (t) =>
  t.field({
    type: [InstitutionReviewType],
    description: 'The signing official’s decisions on this request, newest first.',
    resolve: (s, _args, ctx) => inTransaction(ctx, (tx) => institutionReviewsOf(tx, s.id)),
  }),
);

builder.objectField(StudyType, 'dataUseAgreements', (t) =>
  t.field({
    type: [RequestAgreementType],
    description:
      'The current data use agreements of the committees governing the requested datasets (those that published one), with the PI’s acceptance.',
    resolve: (s, _args, ctx) =>
      inTransaction(ctx, async (tx) => {
        // A draft may still name a dataset no committee governs: it simply asks for no agreement.
        const dacIds = await committeesOfRequest(tx, s.datasetIds).catch(() => []);
        const agreements = await currentAgreements(tx, dacIds);
        const accepted = await acceptancesOf(
          tx,
          s.ownerId,
          agreements.map((a) => a.id),
        );
        return agreements.map((agreement) => ({
          agreement,
          acceptedByPi: accepted.get(agreement.id)?.acceptedAt ?? null,
        }));
      }),
  }),
);

roleGatedRead('signingOfficialQueue', {
  type: [StudyType],
  description:
    'Requests of researchers of your institution waiting for a signing official, oldest first.',
  roles: ['signing_official'],
  run: (tx, viewer) => requestsWaitingForMe(tx, viewer),
});

builder.mutationField('approveRequestAsSigningOfficial', (t) =>
  t.field({
    type: StudyType,
    description:
      'The researcher’s signing official approves a waiting request; it goes to the committees once the PI and the official accepted every current data use agreement. Audited.',
    authScopes: { roles: ['signing_official'] },
    errors: { types: WRITE_ERRORS },
    args: { studyId: t.arg.id() },
    resolve: async (_root, { studyId }, ctx) => {
      const index = await ctx.services.cohorts.current();
      return refusalAuditedTx(
        ctx,
        { action: 'study.institution.approve', targetType: 'study', targetId: studyId },
        (tx) =>
          approveAsSigningOfficial(
            tx,
            ctx.viewer,
            index,
            String(studyId),
            ctx.config.review.consentRequestsWhen,
          ),
      );
    },
  }),
);

for (const [field, decision, action] of [
  ['returnRequestToResearcher', 'returned', 'study.institution.return'],
  ['rejectRequestAsSigningOfficial', 'rejected', 'study.institution.reject'],
] as const)
  builder.mutationField(field, (t) =>
    t.field({
      type: StudyType,
      description:
        decision === 'returned'
          ? 'The signing official returns a waiting request to its researcher, with a reason: it becomes a draft again. Audited.'
          : 'The signing official turns a waiting request down for good, with a reason. Audited.',
      authScopes: { roles: ['signing_official'] },
      errors: { types: WRITE_ERRORS },
      args: { studyId: t.arg.id(), reason: t.arg.string() },
      resolve: (_root, { studyId, reason }, ctx) =>
        refusalAuditedTx(ctx, { action, targetType: 'study', targetId: studyId }, (tx) =>
          declineAsSigningOfficial(tx, ctx.viewer, { id: String(studyId), reason, decision }),
        ),
    }),
  );
