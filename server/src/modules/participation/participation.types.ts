import { myWeeklyDigest, setMyWeeklyDigest } from './weekly-digest-choice.service.js';
import { builder } from '../../builder.js';
import { roleGatedRead, roleGatedWrite } from '../../graphql/role-gated-fields.js';
import { refusalAuditedTx } from '../../graphql/audit-refusals.js';
import { WRITE_ERRORS } from '../../graphql/error-types.js';
import { inTransaction } from '../../graphql/run.js';
import {
  ConsentSignatureInput,
  SigningStatementType,
  signingOf,
} from '../passkeys/passkeys.types.js';
import { prepareSigningStatement } from '../passkeys/signed-consent.js';
import { ConsentRequestType, StudyDecisionEnum } from '../studies/consent-requests.types.js';
import { answerConsentRequest } from './answer-consent-request.service.js';
import {
  eraseParticipant,
  erasurePlan,
  type ErasureLimit,
  type ErasurePlan,
  type ErasureReceipt,
} from './erase-participant.service.js';
import { withdrawConsent, type WithdrawalResult } from './withdraw-participant.service.js';
import { setPreferences } from './set-preferences.service.js';
import { PreferencesInput, PreferencesType, preferencesOf } from '../consent/consent.types.js';

const WithdrawalType = builder.objectRef<WithdrawalResult>('Withdrawal').implement({
  fields: (t) => ({
    withdrawnAt: t.expose('withdrawnAt', { type: 'DateTime' }),
    studiesThatReceivedData: t.exposeStringList('studiesThatReceivedData', {
      description:
        'Studies that already received your data before you withdrew (it cannot be called back).',
    }),
  }),
});

builder.mutationField('withdrawConsent', (t) =>
  t.field({
    type: WithdrawalType,
    description: 'Withdraws you completely, at once. Requires confirm: true.',
    authScopes: { roles: ['participant'] },
    errors: { types: WRITE_ERRORS },
    args: {
      confirm: t.arg.boolean(),
      signature: t.arg({ type: ConsentSignatureInput, required: false }),
    },
    resolve: (_root, { confirm, signature }, ctx) =>
      inTransaction(ctx, (tx) =>
        withdrawConsent(tx, ctx.viewer, { confirm }, signingOf(ctx, signature)),
      ),
  }),
);

builder.mutationField('signingStatementForWithdrawal', (t) =>
  t.field({
    type: SigningStatementType,
    description: 'The records withdrawConsent would put on chain, for your passkey to sign.',
    authScopes: { roles: ['participant'] },
    errors: { types: WRITE_ERRORS },
    resolve: (_root, _args, ctx) =>
      prepareSigningStatement(
        ctx.db,
        (tx, signing) => withdrawConsent(tx, ctx.viewer, { confirm: true }, signing),
        ctx.config.webauthn,
      ),
  }),
);

builder.mutationField('signingStatementForAnswer', (t) =>
  t.field({
    type: SigningStatementType,
    description: 'The record answerConsentRequest would put on chain, for your passkey to sign.',
    authScopes: { roles: ['participant'] },
    errors: { types: WRITE_ERRORS },
    args: { requestId: t.arg.id(), decision: t.arg({ type: StudyDecisionEnum }) },
    resolve: (_root, { requestId, decision }, ctx) =>
      prepareSigningStatement(
        ctx.db,
        (tx, signing) =>
          answerConsentRequest(tx, ctx.viewer, { requestId: String(requestId), decision }, signing),
        ctx.config.webauthn,
      ),
  }),
);

builder.mutationField('answerConsentRequest', (t) =>
  t.field({
    type: ConsentRequestType,
    description:
      'Answers a study’s request (or changes your answer while the study runs). Versioned, audited, on chain.',
    authScopes: { roles: ['participant'] },
    errors: { types: WRITE_ERRORS },
    args: {
      requestId: t.arg.id(),
      decision: t.arg({ type: StudyDecisionEnum }),
      signature: t.arg({ type: ConsentSignatureInput, required: false }),
    },
    resolve: (_root, { requestId, decision, signature }, ctx) =>
      refusalAuditedTx(
        ctx,
        { action: 'consent_request.answer', targetType: 'consent_request', targetId: requestId },
        (tx) =>
          answerConsentRequest(
            tx,
            ctx.viewer,
            { requestId: String(requestId), decision },
            signingOf(ctx, signature),
          ),
      ),
  }),
);

const ErasureLimitType = builder.objectRef<ErasureLimit>('ErasureLimit').implement({
  description: 'Something erasure cannot remove, and why.',
  fields: (t) => ({ what: t.exposeString('what'), why: t.exposeString('why') }),
});

const ErasurePlanType = builder.objectRef<ErasurePlan>('ErasurePlan').implement({
  description: 'What erasure will do, shown before it is confirmed.',
  fields: (t) => ({
    participantId: t.exposeID('participantId'),
    confirmationPhrase: t.exposeString('confirmationPhrase', {
      description: 'Type it back to eraseParticipant to confirm.',
    }),
    willErase: t.exposeStringList('willErase'),
    cannotErase: t.field({ type: [ErasureLimitType], resolve: (p) => p.cannotErase }),
  }),
});

const ErasureReceiptType = builder.objectRef<ErasureReceipt>('ErasureReceipt').implement({
  description: 'What an erasure did; the audit event that records it can be checked on the trail.',
  fields: (t) => ({
    erasedAt: t.expose('erasedAt', { type: 'DateTime' }),
    auditSeq: t.exposeInt('auditSeq'),
    auditHash: t.exposeString('auditHash'),
    phenotypesDeleted: t.exposeInt('phenotypesDeleted'),
    genotypeCallsDeleted: t.exposeInt('genotypeCallsDeleted'),
    accountDeleted: t.exposeBoolean('accountDeleted'),
    studiesAskedToDelete: t.exposeStringList('studiesAskedToDelete'),
    cannotErase: t.field({ type: [ErasureLimitType], resolve: (r) => r.cannotErase }),
  }),
});

roleGatedRead('erasurePlan', {
  type: ErasurePlanType,
  description:
    'Step one of erasure (GDPR Art. 17): what will and will not be erased. Yourself as a participant, or participantId as a steward or admin. Audited.',
  roles: ['participant', 'steward', 'admin'],
  args: (t) => ({ participantId: t.arg.id({ required: false }) }),
  run: (tx, viewer, { participantId }) =>
    erasurePlan(tx, viewer, { participantId: participantId ?? undefined }),
});

builder.mutationField('eraseParticipant', (t) =>
  t.field({
    type: ErasureReceiptType,
    description:
      'Step two: erases the participant at once, in one transaction, given the plan’s confirmation phrase. A participant erasing themself is signed out for good.',
    authScopes: { roles: ['participant', 'steward', 'admin'] },
    errors: { types: WRITE_ERRORS },
    args: { participantId: t.arg.id({ required: false }), confirmation: t.arg.string() },
    resolve: async (_root, { participantId, confirmation }, ctx) => {
      const receipt = await inTransaction(ctx, (tx) =>
        eraseParticipant(tx, ctx.viewer, {
          participantId: participantId ?? undefined,
          confirmation,
        }),
      );
      // The cohort index snapshot on disk still holds the erased genotypes: rewrite it now.
      await ctx.services.cohorts.rewriteSnapshot();
      return receipt;
    },
  }),
);

builder.queryField('myWeeklyDigest', (t) =>
  t.boolean({
    description: 'Whether you get a weekly e-mail summary of how others used your data.',
    authScopes: { roles: ['participant'] },
    resolve: (_root, _args, ctx) => inTransaction(ctx, (tx) => myWeeklyDigest(tx, ctx.viewer)),
  }),
);

roleGatedWrite('setWeeklyDigest', {
  type: 'Boolean',
  description:
    'Turns the weekly e-mail summary on or off (sent only in weeks when others used your data).',
  roles: ['participant'],
  args: (t) => ({ on: t.arg.boolean() }),
  run: (tx, viewer, { on }) => setMyWeeklyDigest(tx, viewer, on),
});

builder.mutationField('setConsentPreferences', (t) =>
  t.field({
    type: PreferencesType,
    description:
      'Sets your standing preferences: a new version, audited and recorded on chain. A new ' +
      '"no" that covers a running study you said yes to, which already received data, opens a ' +
      'request asking whether the "no" applies to it too.',
    authScopes: { roles: ['participant'] },
    errors: { types: WRITE_ERRORS },
    args: {
      input: t.arg({ type: PreferencesInput }),
      signature: t.arg({
        type: ConsentSignatureInput,
        required: false,
        description: 'Your passkey signature (see signingStatementForPreferences).',
      }),
    },
    resolve: (_root, { input, signature }, ctx) =>
      inTransaction(ctx, (tx) =>
        setPreferences(tx, ctx.viewer, preferencesOf(input), signingOf(ctx, signature)),
      ),
  }),
);
