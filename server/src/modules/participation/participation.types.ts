import { builder } from '../../builder.js';
import { refusalAuditedTx } from '../../graphql/audit-refusals.js';
import { WRITE_ERRORS } from '../../graphql/error-types.js';
import { inTransaction } from '../../graphql/run.js';
import { ConsentRequestType, StudyDecisionEnum } from '../studies/consent-requests.types.js';
import { answerConsentRequest } from './answer-consent-request.service.js';
import { withdrawConsent, type WithdrawalResult } from './withdraw-participant.service.js';

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
    args: { confirm: t.arg.boolean() },
    resolve: (_root, { confirm }, ctx) =>
      inTransaction(ctx, (tx) => withdrawConsent(tx, ctx.viewer, { confirm })),
  }),
);

builder.mutationField('answerConsentRequest', (t) =>
  t.field({
    type: ConsentRequestType,
    description:
      'Answers a study’s request (or changes your answer while the study runs). Versioned, audited, on chain.',
    authScopes: { roles: ['participant'] },
    errors: { types: WRITE_ERRORS },
    args: { requestId: t.arg.id(), decision: t.arg({ type: StudyDecisionEnum }) },
    resolve: (_root, { requestId, decision }, ctx) =>
      refusalAuditedTx(
        ctx,
        { action: 'consent_request.answer', targetType: 'consent_request', targetId: requestId },
        (tx) => answerConsentRequest(tx, ctx.viewer, { requestId: String(requestId), decision }),
      ),
  }),
);
