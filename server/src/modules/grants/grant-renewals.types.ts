import { builder } from '../../builder.js';
import { roleGatedRead, roleGatedWrite } from '../../graphql/role-gated-fields.js';
import { refusalAuditedTx } from '../../graphql/audit-refusals.js';
import { WRITE_ERRORS } from '../../graphql/error-types.js';
import { inTransaction } from '../../graphql/run.js';
import {
  closeOutGrant,
  closeoutOfGrant,
  countersignCloseout,
  type CloseoutRow,
} from './grant-closeouts.service.js';
import {
  decideRenewal,
  RENEWAL_REMINDER_DAYS,
  renewalNeeded,
  renewalsOfGrant,
  renewalsToReview,
  revokeForMissedRenewal,
  setRenewalDate,
  submitRenewalReport,
  type RenewalRow,
  type RenewalsToReview,
} from './grant-renewals.service.js';
import { visibleGrant } from './grants.service.js';
import { GrantType } from './grants.types.js';

const RenewalStatusEnum = builder.enumType('GrantRenewalStatus', {
  values: {
    SUBMITTED: { value: 'submitted' },
    RENEWED: { value: 'renewed' },
    NOT_RENEWED: { value: 'not_renewed' },
  } as const,
});

const GrantRenewalType = builder.objectRef<RenewalRow>('GrantRenewal').implement({
  description: 'An annual progress report that asks the grant’s committee to renew it.',
  fields: (t) => ({
    id: t.exposeID('id'),
    grant: t.field({
      type: GrantType,
      resolve: (r, _args, ctx) =>
        inTransaction(ctx, (tx) => visibleGrant(tx, ctx.viewer, r.grantId)),
    }),
    dueAt: t.expose('dueAt', { type: 'DateTime', description: 'The renewal date it renews.' }),
    workDone: t.exposeString('workDone'),
    publications: t.exposeStringList('publications'),
    incidents: t.exposeString('incidents', {
      nullable: true,
      description: 'Incidents declared; null: none.',
    }),
    submittedAt: t.expose('submittedAt', { type: 'DateTime' }),
    status: t.field({ type: RenewalStatusEnum, resolve: (r) => r.status as never }),
    decidedAt: t.expose('decidedAt', { type: 'DateTime', nullable: true }),
    decisionNote: t.exposeString('decisionNote', { nullable: true }),
  }),
});

const GrantCloseoutType = builder.objectRef<CloseoutRow>('GrantCloseout').implement({
  description:
    'The principal investigator’s attestation that the data was destroyed, and the signing official’s countersignature.',
  fields: (t) => ({
    destroyedOn: t.exposeString('destroyedOn', { description: 'YYYY-MM-DD.' }),
    statement: t.exposeString('statement'),
    attestedAt: t.expose('attestedAt', { type: 'DateTime' }),
    countersignedAt: t.expose('countersignedAt', { type: 'DateTime', nullable: true }),
  }),
});

builder.objectFields(GrantType, (t) => ({
  renewalDueAt: t.expose('renewalDueAt', {
    type: 'DateTime',
    description: `The next annual renewal; reminders go ${RENEWAL_REMINDER_DAYS.join(', ')} days before.`,
  }),
  renewalNeeded: t.boolean({
    description:
      'Whether the grant must be renewed to continue past its renewal date (not when a time limit ends it first).',
    resolve: (g) => renewalNeeded(g),
  }),
  renewalOverdue: t.boolean({
    description: 'The renewal date passed without a renewal; the committee may revoke the grant.',
    resolve: (g) => g.renewalOverdueAt !== null,
  }),
  renewals: t.field({
    type: [GrantRenewalType],
    resolve: (g, _args, ctx) => inTransaction(ctx, (tx) => renewalsOfGrant(tx, ctx.viewer, g.id)),
  }),
  closeout: t.field({
    type: GrantCloseoutType,
    nullable: true,
    resolve: (g, _args, ctx) => inTransaction(ctx, (tx) => closeoutOfGrant(tx, ctx.viewer, g.id)),
  }),
}));

const RenewalsToReviewType = builder.objectRef<RenewalsToReview>('RenewalsToReview').implement({
  fields: (t) => ({
    reports: t.field({ type: [GrantRenewalType], resolve: (r) => r.reports }),
    overdue: t.field({ type: [GrantType], resolve: (r) => r.overdue }),
    upcoming: t.field({ type: [GrantType], resolve: (r) => r.upcoming }),
  }),
});

roleGatedRead('renewalsToReview', {
  type: RenewalsToReviewType,
  description:
    'For a committee member: renewal reports to decide, grants that missed their renewal, and renewals coming up, of the datasets your committees govern.',
  roles: ['ethics_board'],
  run: (tx, viewer) => renewalsToReview(tx, viewer),
});

const RenewalReportInput = builder.inputType('RenewalReportInput', {
  fields: (t) => ({
    grantId: t.id(),
    workDone: t.string({ description: 'What was done with the data this year (20+ characters).' }),
    publications: t.stringList({ description: 'Citations or links; empty: none yet.' }),
    incidents: t.string({
      required: false,
      description: 'Any incident (breach, misuse, consent problem); null or empty: none.',
    }),
  }),
});

roleGatedWrite('submitRenewalReport', {
  type: GrantRenewalType,
  description:
    'Sends the annual progress report of your grant to its committee (from 60 days before the renewal date).',
  roles: ['researcher'],
  args: (t) => ({ input: t.arg({ type: RenewalReportInput }) }),
  audit: ({ input }) => ({
    action: 'grant.renewal.submit',
    targetType: 'grant',
    targetId: input.grantId,
  }),
  run: (tx, viewer, { input }) =>
    submitRenewalReport(tx, viewer, {
      ...input,
      grantId: String(input.grantId),
      incidents: input.incidents ?? null,
    }),
});

const RenewalDecisionEnum = builder.enumType('RenewalDecision', {
  values: { RENEW: { value: 'renew' }, NOT_RENEW: { value: 'not_renew' } } as const,
});

roleGatedWrite('decideRenewal', {
  type: GrantRenewalType,
  description:
    'Renews a grant for a year on its progress report, or not (which revokes it; a note of 10+ characters says why). Committee members of the grant’s datasets.',
  roles: ['ethics_board'],
  args: (t) => ({
    renewalId: t.arg.id(),
    decision: t.arg({ type: RenewalDecisionEnum }),
    note: t.arg.string({ required: false }),
  }),
  audit: () => ({ action: 'grant.renewal.renew', targetType: 'grant' }),
  run: (tx, viewer, args) =>
    decideRenewal(tx, viewer, {
      renewalId: String(args.renewalId),
      decision: args.decision,
      note: args.note ?? null,
    }),
});

roleGatedWrite('revokeForMissedRenewal', {
  type: GrantType,
  description: 'Revokes a grant that missed its renewal (committee members of its datasets).',
  roles: ['ethics_board'],
  args: (t) => ({ grantId: t.arg.id() }),
  audit: ({ grantId }) => ({ action: 'grant.revoke', targetType: 'grant', targetId: grantId }),
  run: (tx, viewer, { grantId }) => revokeForMissedRenewal(tx, viewer, String(grantId)),
});

roleGatedWrite('setRenewalDate', {
  type: GrantType,
  description:
    'Asks for the progress report sooner: a renewal date between now and the grant’s expiry (committee members of its datasets).',
  roles: ['ethics_board'],
  args: (t) => ({ grantId: t.arg.id(), dueAt: t.arg({ type: 'DateTime' }) }),
  audit: ({ grantId }) => ({
    action: 'grant.renewal.reschedule',
    targetType: 'grant',
    targetId: grantId,
  }),
  run: (tx, viewer, { grantId, dueAt }) =>
    setRenewalDate(tx, viewer, { grantId: String(grantId), dueAt }),
});

const CloseoutInput = builder.inputType('CloseOutGrantInput', {
  fields: (t) => ({
    grantId: t.id(),
    destroyedOn: t.string({ description: 'The day the last copy was destroyed (YYYY-MM-DD).' }),
    statement: t.string({ description: 'How and where the data was destroyed (20+ characters).' }),
    attestDestroyed: t.boolean({ description: 'Must be true: your attestation.' }),
  }),
});

roleGatedWrite('closeOutGrant', {
  type: GrantCloseoutType,
  description:
    'Attests, as the principal investigator, that every copy of the data was destroyed; ends an active grant (closed out). The signing official countersigns afterwards.',
  roles: ['researcher'],
  args: (t) => ({ input: t.arg({ type: CloseoutInput }) }),
  audit: ({ input }) => ({
    action: 'grant.closeout.attest',
    targetType: 'grant',
    targetId: input.grantId,
  }),
  run: async (tx, viewer, { input }) =>
    (await closeOutGrant(tx, viewer, { ...input, grantId: String(input.grantId) })).closeout,
});

builder.mutationField('countersignCloseout', (t) =>
  t.field({
    type: GrantCloseoutType,
    description:
      'The signing official’s countersignature of a closeout attestation (role `signing_official`).',
    authScopes: { authenticated: true },
    errors: { types: WRITE_ERRORS },
    args: { grantId: t.arg.id() },
    resolve: (_root, { grantId }, ctx) =>
      refusalAuditedTx(
        ctx,
        { action: 'grant.closeout.countersign', targetType: 'grant', targetId: grantId },
        (tx) => countersignCloseout(tx, ctx.viewer, String(grantId)),
      ),
  }),
);
