import { builder } from '../../builder.js';
import { roleGatedRead, roleGatedWrite } from '../../graphql/role-gated-fields.js';
import { refusalAuditedTx } from '../../graphql/audit-refusals.js';
import { WRITE_ERRORS } from '../../graphql/error-types.js';
import { loadFound, loaders } from '../../graphql/loaders.js';
import { inTransaction } from '../../graphql/run.js';
import { ObligationType } from '../consent/duo-match.types.js';
import { DatasetType } from '../datasets/datasets.types.js';
import { getStudy } from '../studies/studies.service.js';
import { StudyType } from '../studies/studies.types.js';
import { createExport, exportsOfGrant, type ExportSummary } from './exports/export.service.js';
import type { GrantConditions } from './grant-terms.js';
import { expiryEventId, renewalCount } from './grant-renewals.service.js';
import { grantVisas } from './grant-visas.js';
import {
  confirmDataDeletion,
  grantOfStudy,
  grantState,
  listGrants,
  revokeGrant,
  visibleGrant,
  type GrantRow,
} from './grants.service.js';
import { jwksUrl } from './passport/jwks-url.js';
import {
  requestReturnOfResults,
  RETURN_OF_RESULTS_MAX,
  type ReturnOfResultsReceipt,
} from './return-of-results.service.js';

const GrantStatusEnum = builder.enumType('GrantStatus', {
  values: {
    ACTIVE: { value: 'active' },
    EXPIRED: { value: 'expired' },
    REVOKED: { value: 'revoked' },
    CLOSED_OUT: { value: 'closed_out' },
  } as const,
});

const GrantObligationType = builder
  .objectRef<GrantConditions['obligations'][number]>('GrantObligation')
  .implement({
    fields: (t) => ({
      datasetId: t.exposeID('datasetId'),
      obligation: t.field({ type: ObligationType, resolve: (o) => o }),
    }),
  });

const ChainRecordType = builder
  .objectRef<{ eventId: string; txHash: string; height: number }>('ChainRecord')
  .implement({
    fields: (t) => ({
      eventId: t.exposeString('eventId', { description: 'The record’s event id on chain.' }),
      txHash: t.exposeString('txHash'),
      height: t.exposeInt('height'),
    }),
  });

const DataExportType = builder.objectRef<ExportSummary>('DataExport').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    participantCount: t.exposeInt('participantCount'),
    variantCount: t.exposeInt('variantCount'),
    vcfSha256: t.exposeString('vcfSha256', {
      description:
        'SHA-256 of the VCF file as downloaded (the BGZF bytes; text for older exports).',
    }),
    vcfBytes: t.float({
      description: 'Size of the VCF file as downloaded, in bytes.',
      resolve: (e) => e.vcfBytes,
    }),
    manifest: t.field({ type: 'JSON', resolve: (e) => e.manifest as Record<string, unknown> }),
    vcfPath: t.string({
      description:
        'Download path on the API (grantee, session cookie or bearer token): a BGZF-compressed VCF (`.vcf.gz`) served with byte ranges; plain text for exports made before compression.',
      resolve: (e) => (e.vcfFileKey ? `/api/exports/${e.id}/vcf.gz` : `/api/exports/${e.id}/vcf`),
    }),
    indexPath: t.string({
      nullable: true,
      description:
        'The tabix index of the VCF (the VCF path + `.tbi`, where htslib looks for it); null for exports made before compression.',
      resolve: (e) => (e.vcfFileKey ? `/api/exports/${e.id}/vcf.gz.tbi` : null),
    }),
    manifestPath: t.string({ resolve: (e) => `/api/exports/${e.id}/manifest.json` }),
  }),
});

export const GrantType = builder.objectRef<GrantRow>('Grant').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    status: t.field({ type: GrantStatusEnum, resolve: (g) => grantState(g) as never }),
    study: t.field({
      type: StudyType,
      resolve: (g, _args, ctx) => inTransaction(ctx, (tx) => getStudy(tx, ctx.viewer, g.studyId)),
    }),
    datasets: t.field({
      type: [DatasetType],
      resolve: (g, _args, ctx) => loadFound(loaders(ctx).dataset, g.datasetIds),
    }),
    issuedAt: t.expose('issuedAt', { type: 'DateTime' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
    endedAt: t.expose('endedAt', { type: 'DateTime', nullable: true }),
    endReason: t.exposeString('endReason', { nullable: true }),
    cohortRoot: t.exposeString('cohortRoot', {
      description: 'RFC 6962 Merkle root of the permitted members’ chain pseudonyms, on chain.',
    }),
    memberCount: t.exposeInt('memberCount'),
    obligations: t.field({
      type: [GrantObligationType],
      resolve: (g) => (g.conditions as GrantConditions).obligations,
    }),
    boardConditions: t.stringList({ resolve: (g) => (g.conditions as GrantConditions).board }),
    visas: t.stringList({
      description:
        'GA4GH ControlledAccessGrants visas (signed JWTs, one per dataset) while the grant is active; for its researcher only.',
      resolve: (g, _args, ctx) =>
        grantState(g) === 'active' && ctx.viewer?.userId === g.researcherId
          ? grantVisas(ctx.db, g, ctx.config.publicUrl)
          : [],
    }),
    jwksUrl: t.string({ resolve: (_g, _args, ctx) => jwksUrl(ctx.config.publicUrl) }),
    chainRecord: t.field({
      type: ChainRecordType,
      nullable: true,
      description: 'The chain transaction that recorded the grant, once relayed.',
      resolve: (g, _args, ctx) => loaders(ctx).chainRecord.load(`grant:${g.id}`),
    }),
    expiryChainRecord: t.field({
      type: ChainRecordType,
      nullable: true,
      description:
        'The chain transaction that recorded the grant’s current expiry, once relayed: its last renewal’s record (`<grant id>:renewal:<n>`), or the grant’s own when never renewed.',
      resolve: async (g, _args, ctx) =>
        loaders(ctx).chainRecord.load(
          expiryEventId(g.id, await inTransaction(ctx, (tx) => renewalCount(tx, g.id))),
        ),
    }),
    exports: t.field({
      type: [DataExportType],
      resolve: (g, _args, ctx) => inTransaction(ctx, (tx) => exportsOfGrant(tx, ctx.viewer, g.id)),
    }),
  }),
});

builder.objectField(StudyType, 'grant', (t) =>
  t.field({
    type: GrantType,
    nullable: true,
    description: 'The grant issued on approval (whoever sees the study sees its grant).',
    resolve: (s, _args, ctx) => ctx.db.transaction((tx) => grantOfStudy(tx, s.id)),
  }),
);

roleGatedRead('grants', {
  type: [GrantType],
  description: 'Your grants (researchers); all grants (ethics boards, admins).',
  roles: ['researcher', 'ethics_board', 'admin'],
  run: (tx, viewer) => listGrants(tx, viewer),
});

roleGatedRead('grant', {
  type: GrantType,
  roles: ['researcher', 'ethics_board', 'admin'],
  args: (t) => ({ id: t.arg.id() }),
  audit: ({ id }) => ({ action: 'grant.read', targetType: 'grant', targetId: id }),
  run: (tx, viewer, { id }) => visibleGrant(tx, viewer, String(id)),
});

builder.mutationField('createExport', (t) =>
  t.field({
    type: DataExportType,
    description:
      'Exports, under your active grant, exactly the participants whose consent permits at this moment: manifest + VCF subset. Audited.',
    authScopes: { roles: ['researcher'] },
    errors: { types: WRITE_ERRORS },
    args: { grantId: t.arg.id() },
    resolve: async (_root, { grantId }, ctx) => {
      const index = await ctx.services.cohorts.current();
      return refusalAuditedTx(
        ctx,
        { action: 'export.create', targetType: 'grant', targetId: grantId },
        (tx) => createExport(tx, ctx.viewer, index, String(grantId), ctx.services.files),
      );
    },
  }),
);

roleGatedWrite('revokeGrant', {
  type: GrantType,
  description: 'Revokes an active grant, with a reason (ethics boards, admins).',
  roles: ['ethics_board', 'admin'],
  args: (t) => ({ grantId: t.arg.id(), reason: t.arg.string() }),
  audit: ({ grantId }) => ({
    action: 'grant.revoke',
    targetType: 'grant',
    targetId: grantId,
  }),
  run: (tx, viewer, { grantId, reason }) =>
    revokeGrant(tx, viewer, { grantId: String(grantId), reason }),
});

roleGatedWrite('confirmDataDeletion', {
  type: 'DateTime',
  description:
    'Confirms that you deleted, from every copy of earlier downloads under your grant, the data of participants whose erasure asked you to. Answers when it was recorded.',
  roles: ['researcher'],
  args: (t) => ({ grantId: t.arg.id() }),
  audit: ({ grantId }) => ({
    action: 'grant.deletion.confirm',
    targetType: 'grant',
    targetId: grantId,
  }),
  run: async (tx, viewer, { grantId }) =>
    (await confirmDataDeletion(tx, viewer, String(grantId))).confirmedAt,
});

const ReturnOfResultsType = builder.objectRef<ReturnOfResultsReceipt>('ReturnOfResults').implement({
  description: 'What you learn of a return of results: how many, never who.',
  fields: (t) => ({
    requested: t.exposeInt('requested', { description: 'Distinct samples you named.' }),
    contacted: t.exposeInt('contacted', {
      description: 'People their site contacted (only those who allow recontact are).',
    }),
  }),
});

const ReturnOfResultsInput = builder.inputType('ReturnOfResultsInput', {
  fields: (t) => ({
    grantId: t.id(),
    exportId: t.id(),
    sampleIds: t.stringList({
      description: `The export's sample ids with a clinically actionable finding (at most ${RETURN_OF_RESULTS_MAX}).`,
    }),
  }),
});

roleGatedWrite('requestReturnOfResults', {
  type: ReturnOfResultsType,
  description:
    "Asks the participants' site to contact the people behind these samples of your export about a " +
    'clinically actionable finding. The site contacts only those who allow recontact; you never ' +
    'contact anyone and learn only how many were contacted. Audited.',
  roles: ['researcher'],
  args: (t) => ({ input: t.arg({ type: ReturnOfResultsInput }) }),
  audit: ({ input }) => ({
    action: 'results.return.request',
    targetType: 'grant',
    targetId: String(input.grantId),
  }),
  run: (tx, viewer, { input }) =>
    requestReturnOfResults(tx, viewer, {
      grantId: String(input.grantId),
      exportId: String(input.exportId),
      sampleIds: input.sampleIds,
    }),
});
