import { issueEmailVerification } from '../accounts/email-verification.service.js';
import { sendAccountTokenMail } from '../accounts/accounts.types.js';
import { builder } from '../../builder.js';
import { roleGatedRead, roleGatedWrite } from '../../graphql/role-gated-fields.js';
import { RateLimitedError } from '../../errors/app-errors.js';
import { WRITE_ERRORS } from '../../graphql/error-types.js';
import { inTransaction } from '../../graphql/run.js';
import type { UserRecord } from '../accounts/accounts.service.js';
import { UserType } from '../accounts/accounts.types.js';
import {
  PARTICIPANT_STATUSES,
  SEXES,
  createEnrolmentCode,
  createParticipant,
  enrolWithCode,
  getOwnParticipant,
  getParticipant,
  listParticipants,
  type ParticipantRecord,
} from './participants.service.js';
import { chargeEnrolmentAttempt, refundEnrolmentAttempt } from './enrolment-throttle.js';

export const SexEnum = builder.enumType('Sex', { values: SEXES });
const StatusEnum = builder.enumType('ParticipantStatus', { values: PARTICIPANT_STATUSES });

export const ParticipantType = builder.objectRef<ParticipantRecord>('Participant').implement({
  description: 'A pseudonymous research participant. No names or contact details are stored here.',
  fields: (t) => ({
    id: t.exposeID('id'),
    pseudonym: t.exposeString('pseudonym'),
    sex: t.field({ type: SexEnum, resolve: (p) => p.sex as (typeof SEXES)[number] }),
    birthYear: t.exposeInt('birthYear', { nullable: true }),
    status: t.field({
      type: StatusEnum,
      resolve: (p) => p.status as (typeof PARTICIPANT_STATUSES)[number],
    }),
    hasAccount: t.boolean({ resolve: (p) => p.userId !== null }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    enrolledAt: t.expose('enrolledAt', { type: 'DateTime', nullable: true }),
    withdrawnAt: t.expose('withdrawnAt', { type: 'DateTime', nullable: true }),
  }),
});

const ParticipantPage = builder
  .objectRef<{ items: ParticipantRecord[]; total: number }>('ParticipantPage')
  .implement({
    fields: (t) => ({
      items: t.field({ type: [ParticipantType], resolve: (p) => p.items }),
      total: t.exposeInt('total'),
    }),
  });

builder.queryField('participant', (t) =>
  t.field({
    type: ParticipantType,
    description: 'One participant record. Answers NOT_FOUND when the caller may not see it.',
    args: { id: t.arg.id() },
    resolve: (_root, { id }, ctx) => inTransaction(ctx, (tx) => getParticipant(tx, ctx.viewer, id)),
  }),
);

builder.queryField('myParticipant', (t) =>
  t.field({
    type: ParticipantType,
    nullable: true,
    description:
      "The signed-in participant's own record (null for other roles or before enrolment).",
    resolve: (_root, _args, ctx) => inTransaction(ctx, (tx) => getOwnParticipant(tx, ctx.viewer!)),
  }),
);

roleGatedRead('participants', {
  type: ParticipantPage,
  roles: ['steward', 'ethics_board', 'admin'],
  args: (t) => ({ limit: t.arg.int({ required: false }), offset: t.arg.int({ required: false }) }),
  run: (tx, viewer, args) =>
    listParticipants(tx, viewer, {
      limit: args.limit ?? undefined,
      offset: args.offset ?? undefined,
    }),
});

const CreateParticipantInput = builder.inputType('CreateParticipantInput', {
  fields: (t) => ({
    pseudonym: t.string({ required: false, description: 'Generated when omitted.' }),
    sex: t.field({ type: SexEnum }),
    birthYear: t.int({ required: false }),
  }),
});

roleGatedWrite('createParticipant', {
  type: ParticipantType,
  roles: ['steward', 'admin'],
  args: (t) => ({ input: t.arg({ type: CreateParticipantInput }) }),
  run: (tx, viewer, { input }) => createParticipant(tx, viewer, input),
});

const EnrolmentCodePayload = builder
  .objectRef<{ code: string; expiresAt: Date; participant: ParticipantRecord }>('EnrolmentCode')
  .implement({
    fields: (t) => ({
      code: t.exposeString('code', { description: 'Shown once; only its digest is stored.' }),
      expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
      participant: t.field({ type: ParticipantType, resolve: (p) => p.participant }),
    }),
  });

roleGatedWrite('createEnrolmentCode', {
  type: EnrolmentCodePayload,
  roles: ['steward', 'admin'],
  args: (t) => ({ participantId: t.arg.id() }),
  run: (tx, viewer, { participantId }) => createEnrolmentCode(tx, viewer, participantId),
});

const EnrolInput = builder.inputType('EnrolInput', {
  fields: (t) => ({
    code: t.string({ description: 'The one-time code from the study site.' }),
    email: t.string(),
    password: t.string(),
    displayName: t.string(),
  }),
});

const EnrolPayload = builder
  .objectRef<{ user: UserRecord; participant: ParticipantRecord }>('EnrolPayload')
  .implement({
    fields: (t) => ({
      user: t.field({ type: UserType, resolve: (p) => p.user }),
      participant: t.field({ type: ParticipantType, resolve: (p) => p.participant }),
    }),
  });

builder.mutationField('enrol', (t) =>
  t.field({
    type: EnrolPayload,
    description: 'Creates a participant account linked to a participant record by a one-time code.',
    skipTypeScopes: true,
    errors: { types: [...WRITE_ERRORS, RateLimitedError] },
    args: { input: t.arg({ type: EnrolInput }) },
    resolve: async (_root, { input }, ctx) => {
      // Charged and committed before the code is looked up, so concurrent guesses count too.
      await chargeEnrolmentAttempt(ctx.db, ctx.clientKey);
      const { enrolled, mail } = await inTransaction(ctx, async (tx) => {
        const done = await enrolWithCode(tx, input);
        await refundEnrolmentAttempt(tx, ctx.clientKey);
        const link = await issueEmailVerification(tx, null, done.user, ctx.config.webOrigin);
        return { enrolled: done, mail: link };
      });
      sendAccountTokenMail(ctx, 'email_verification', mail);
      return enrolled;
    },
  }),
);
