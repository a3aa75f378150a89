import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { builder } from '../../builder.js';
import { roleGatedRead, roleGatedWrite } from '../../graphql/role-gated-fields.js';
import { WRITE_ERRORS } from '../../graphql/error-types.js';
import type { GraphQLContext } from '../../graphql/context.js';
import { inTransaction } from '../../graphql/run.js';
import { consentRecordJson } from '@consentome/contracts-client';
import {
  addPasskey,
  listPasskeys,
  passkeyRegistrationOptions,
  removePasskey,
  renamePasskey,
  type PasskeyView,
} from './passkeys.service.js';
import { mySignedConsent } from './my-signed-consent.service.js';
import { resetParticipantPasskeys, type PasskeyReset } from './passkey-reset.service.js';
import type { ConsentSigning, SigningStatement } from './signed-consent.js';
import { passkeyApprovalChallenge, passkeyRemovalChallenge } from './key-change-challenges.js';
import { parseWebAuthnResponse } from './webauthn-response.js';

export const PasskeyType = builder.objectRef<PasskeyView>('Passkey').implement({
  description: 'One of your passkeys; each is also registered on chain under your pseudonym.',
  fields: (t) => ({
    id: t.exposeID('id'),
    credentialId: t.exposeString('credentialId'),
    name: t.exposeString('name'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

export const SigningStatementType = builder
  .objectRef<SigningStatement>('ConsentSigningStatement')
  .implement({
    description:
      'What your passkey signs for a consent change: the canonical records and their challenge.',
    fields: (t) => ({
      time: t.exposeString('time', { description: 'Send back with the signature.' }),
      challenge: t.exposeString('challenge', {
        nullable: true,
        description: 'WebAuthn challenge (base64url); null when nothing would be recorded.',
      }),
      records: t.stringList({
        description: 'Canonical JSON of each record (SHA-256 of each is its digest).',
        resolve: (s) => s.records.map(consentRecordJson),
      }),
    }),
  });

export const ConsentSignatureInput = builder.inputType('ConsentSignatureInput', {
  description: 'Your passkey assertion over a ConsentSigningStatement.',
  fields: (t) => ({
    time: t.string(),
    response: t.string({ description: 'JSON of the WebAuthn assertion (startAuthentication).' }),
  }),
});

/** The service-level signing of a mutation's optional `signature` argument. */
export function signingOf(
  ctx: GraphQLContext,
  input: { time: string; response: string } | null | undefined,
): ConsentSigning | undefined {
  // A representative's decision is the institution's record with the representation as witness:
  // it is never signed with a passkey (theirs is not the participant's key).
  if (ctx.viewer?.actingFor) return { kind: 'attested', witness: 'legal_representative' };
  if (!input) return undefined;
  return {
    kind: 'signed',
    rp: ctx.config.webauthn,
    time: input.time,
    response: parseWebAuthnResponse<AuthenticationResponseJSON>('signature', input.response),
  };
}

roleGatedRead('myPasskeys', {
  type: [PasskeyType],
  roles: ['participant'],
  run: (tx, viewer) => listPasskeys(tx, viewer),
});

builder.mutationField('passkeyRegistrationOptions', (t) =>
  t.string({
    description: 'Options (JSON) for startRegistration; valid for five minutes.',
    authScopes: { roles: ['participant'] },
    resolve: async (_root, _args, ctx) =>
      JSON.stringify(
        await inTransaction(ctx, (tx) =>
          passkeyRegistrationOptions(tx, ctx.viewer, ctx.config.webauthn),
        ),
      ),
  }),
);

builder.mutationField('addPasskey', (t) =>
  t.field({
    type: PasskeyType,
    description:
      'Adds a passkey (JSON of startRegistration). A further passkey needs `approval`: an assertion by one you have.',
    authScopes: { roles: ['participant'] },
    errors: { types: WRITE_ERRORS },
    args: {
      response: t.arg.string(),
      name: t.arg.string(),
      approval: t.arg.string({ required: false }),
    },
    resolve: (_root, { response, name, approval }, ctx) =>
      inTransaction(ctx, (tx) =>
        addPasskey(tx, ctx.viewer, ctx.config.webauthn, {
          response: parseWebAuthnResponse<RegistrationResponseJSON>('response', response),
          name,
          approval: approval
            ? parseWebAuthnResponse<AuthenticationResponseJSON>('approval', approval)
            : null,
        }),
      ),
  }),
);

roleGatedWrite('renamePasskey', {
  type: PasskeyType,
  roles: ['participant'],
  args: (t) => ({ id: t.arg.id(), name: t.arg.string() }),
  run: (tx, viewer, { id, name }) => renamePasskey(tx, viewer, { id: String(id), name }),
});

builder.mutationField('removePasskey', (t) =>
  t.field({
    type: PasskeyType,
    description: 'Removes a passkey, approved by an assertion of any of yours (this one included).',
    authScopes: { roles: ['participant'] },
    errors: { types: WRITE_ERRORS },
    args: { id: t.arg.id(), approval: t.arg.string() },
    resolve: (_root, { id, approval }, ctx) =>
      inTransaction(ctx, (tx) =>
        removePasskey(tx, ctx.viewer, ctx.config.webauthn, {
          id: String(id),
          approval: parseWebAuthnResponse<AuthenticationResponseJSON>('approval', approval),
        }),
      ),
  }),
);

const IdentityCheckEnum = builder.enumType('IdentityCheck', {
  description: 'How staff made sure the person asking is the participant.',
  values: {
    IN_PERSON_PHOTO_ID: { value: 'in_person_photo_id', description: 'In person, with photo ID.' },
    VIDEO_CALL_PHOTO_ID: {
      value: 'video_call_photo_id',
      description: 'On a video call, with photo ID shown.',
    },
    KNOWN_CLINICIAN: {
      value: 'known_clinician',
      description: 'By a clinician who knows the participant.',
    },
  } as const,
});

const PasskeyResetType = builder.objectRef<PasskeyReset>('PasskeyReset').implement({
  description: 'What a passkey reset did.',
  fields: (t) => ({
    participantId: t.exposeID('participantId'),
    removed: t.exposeInt('removed', { description: 'Passkeys removed (each a chain record).' }),
    witness: t.exposeString('witness', {
      description: 'Who vouched, as the chain records it (role:account id).',
    }),
  }),
});

roleGatedWrite('resetParticipantPasskeys', {
  type: PasskeyResetType,
  description:
    'Staff, after checking the participant’s identity: removes every passkey of a participant who lost them all, with the institution’s proof (visible on chain as removed by the institution, with the witness), so the participant can add a new one. The participant is notified.',
  roles: ['steward', 'admin'],
  args: (t) => ({
    participantId: t.arg.id(),
    identityCheck: t.arg({ type: IdentityCheckEnum }),
  }),
  run: (tx, viewer, { participantId, identityCheck }) =>
    resetParticipantPasskeys(tx, viewer, {
      participantId: String(participantId),
      identityCheck,
    }),
});

builder.queryField('mySignedConsent', (t) =>
  t.string({
    description:
      'Your consent records as a JSON bundle (format consentome-signed-consent/1) read from the chain, with your passkey signatures, to keep and check offline: see docs/signed-consent.md.',
    authScopes: { roles: ['participant'] },
    resolve: async (_root, _args, ctx) =>
      JSON.stringify(
        await mySignedConsent(ctx.db, ctx.viewer, ctx.services.chain?.ledger ?? null),
        null,
        2,
      ),
  }),
);

roleGatedWrite('passkeyRemovalChallenge', {
  type: 'String',
  description:
    'The WebAuthn challenge (base64url) a passkey of yours signs as the `approval` of removePasskey(id). Changes nothing.',
  roles: ['participant'],
  args: (t) => ({ id: t.arg.id() }),
  run: (tx, viewer, { id }) => passkeyRemovalChallenge(tx, viewer, String(id)),
});

roleGatedWrite('passkeyApprovalChallenge', {
  type: 'String',
  description:
    'The WebAuthn challenge (base64url) a passkey of yours signs as the `approval` of addPasskey for this new one (JSON of startRegistration). Changes nothing.',
  roles: ['participant'],
  args: (t) => ({ response: t.arg.string() }),
  run: (tx, viewer, { response }) =>
    passkeyApprovalChallenge(
      tx,
      viewer,
      parseWebAuthnResponse<RegistrationResponseJSON>('response', response),
    ),
});
