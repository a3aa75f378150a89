import { builder } from '../../builder.js';
import { ConflictError, RateLimitedError, ValidationError } from '../../errors/app-errors.js';
import { inTransaction } from '../../graphql/run.js';
import {
  confirmTotpEnrolment,
  secondFactorStatus,
  startTotpEnrolment,
  verifySecondFactor,
  type SecondFactorStatus,
  type TotpEnrolment,
} from './totp.service.js';

const SecondFactorType = builder
  .objectRef<SecondFactorStatus & { required: boolean }>('SecondFactor')
  .implement({
    description: "The signed-in user's second factor and this session's proof of it.",
    fields: (t) => ({
      enrolled: t.exposeBoolean('enrolled', {
        description: 'A second factor is set up (an authenticator app or a passkey).',
      }),
      totp: t.exposeBoolean('totp', { description: 'An authenticator app (TOTP) is set up.' }),
      passkeys: t.exposeInt('passkeys', { description: 'How many second-factor passkeys.' }),
      required: t.exposeBoolean('required', {
        description: 'Your role must prove a second factor before it acts.',
      }),
      sessionVerifiedAt: t.expose('sessionVerifiedAt', {
        type: 'DateTime',
        nullable: true,
        description: 'When this session last proved the second factor (step-up), or null.',
      }),
      amr: t.exposeStringList('amr', {
        description:
          'How this session was authenticated (RFC 8176: pwd, fed, otp, rcode, pop for a passkey).',
      }),
      recoveryCodesLeft: t.exposeInt('recoveryCodesLeft'),
    }),
  });

const TotpEnrolmentType = builder.objectRef<TotpEnrolment>('TotpEnrolment').implement({
  fields: (t) => ({
    secret: t.exposeString('secret', { description: 'Base32 secret for typing into the app.' }),
    otpauthUri: t.exposeString('otpauthUri', { description: 'otpauth:// URI (QR code content).' }),
  }),
});

builder.queryField('mySecondFactor', (t) =>
  t.field({
    type: SecondFactorType,
    resolve: async (_root, _args, ctx) => ({
      ...(await secondFactorStatus(ctx.db, ctx.viewer!)),
      required: ctx.config.identity.mfaRoles.includes(ctx.viewer!.role),
    }),
  }),
);

builder.mutationField('startTotpEnrolment', (t) =>
  t.field({
    type: TotpEnrolmentType,
    errors: { types: [ConflictError] },
    resolve: (_root, _args, ctx) => inTransaction(ctx, (tx) => startTotpEnrolment(tx, ctx.viewer!)),
  }),
);

builder.mutationField('confirmTotpEnrolment', (t) =>
  t.stringList({
    description:
      'Confirms the authenticator with a first code; answers ten one-time recovery codes, shown only now.',
    errors: { types: [ValidationError, ConflictError, RateLimitedError] },
    args: { code: t.arg.string() },
    resolve: (_root, args, ctx) => confirmTotpEnrolment(ctx.db, ctx.viewer!, args),
  }),
);

builder.mutationField('verifySecondFactor', (t) =>
  t.field({
    type: 'DateTime',
    description:
      'Proves the second factor for this session (after sign-in, or as a step-up) with an authenticator code or a recovery code.',
    errors: { types: [ValidationError, ConflictError, RateLimitedError] },
    args: {
      code: t.arg.string({ required: false }),
      recoveryCode: t.arg.string({ required: false }),
    },
    resolve: (_root, args, ctx) =>
      verifySecondFactor(
        ctx.db,
        ctx.viewer!,
        args.recoveryCode ? { recoveryCode: args.recoveryCode } : { code: args.code ?? '' },
      ),
  }),
);
