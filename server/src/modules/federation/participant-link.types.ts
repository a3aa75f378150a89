import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { builder } from '../../builder.js';
import { ConflictError, ValidationError } from '../../errors/app-errors.js';
import type { GraphQLContext } from '../../graphql/context.js';
import { WRITE_ERRORS } from '../../graphql/error-types.js';
import { inTransaction } from '../../graphql/run.js';
import {
  acceptParticipantLink,
  offerParticipantLink,
  participantLinkAcceptChallenge,
  participantLinkOfferChallenge,
  type LinkChallenge,
  type LinkLedger,
} from './participant-link.service.js';

/** The chain this site writes to; linking needs one. */
function linkLedger(ctx: GraphQLContext): LinkLedger {
  const ledger = ctx.services.chain?.ledger;
  if (!ledger) throw new ConflictError('This site is not connected to the network’s chain');
  return ledger;
}

/** The JSON text of a WebAuthn assertion, parsed shallowly; the library checks the rest. */
function parseAssertion(text: string): AuthenticationResponseJSON {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  const ok =
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { id?: unknown }).id === 'string' &&
    typeof (value as { response?: unknown }).response === 'object';
  if (!ok)
    throw new ValidationError('Not a WebAuthn response', [
      { field: 'signature', message: 'expected the JSON of a WebAuthn credential' },
    ]);
  return value as AuthenticationResponseJSON;
}

const LinkChallengeType = builder.objectRef<LinkChallenge>('ParticipantLinkChallenge').implement({
  description: 'What your passkey signs to link your record here with your record at another site.',
  fields: (t) => ({
    challenge: t.exposeString('challenge', { description: 'The WebAuthn challenge, base64url.' }),
    code: t.exposeString('code', {
      description: 'The link code: send it back with the signature; at the other site, enter it.',
    }),
    member: t.exposeString('member', { description: 'The other site (its member id).' }),
  }),
});

const LinkResultType = builder
  .objectRef<{ code: string; member: string }>('ParticipantLink')
  .implement({
    description: 'A link between your records at two sites, on the network’s chain.',
    fields: (t) => ({
      code: t.exposeString('code'),
      member: t.exposeString('member', { description: 'The other site (its member id).' }),
    }),
  });

builder.mutationField('participantLinkOfferChallenge', (t) =>
  t.field({
    type: LinkChallengeType,
    description:
      'Step 1 (at the site you link from): a link code and the challenge your passkey here signs. Changes nothing.',
    authScopes: { roles: ['participant'] },
    errors: { types: WRITE_ERRORS },
    args: { toMember: t.arg.string() },
    resolve: (_root, { toMember }, ctx) =>
      inTransaction(ctx, (tx) =>
        participantLinkOfferChallenge(tx, ctx.viewer, linkLedger(ctx), { toMember }),
      ),
  }),
);

builder.mutationField('offerParticipantLink', (t) =>
  t.field({
    type: LinkResultType,
    description:
      'Step 2: your signed offer goes on the chain; take the code to the other site. Audited.',
    authScopes: { roles: ['participant'] },
    errors: { types: WRITE_ERRORS },
    args: { toMember: t.arg.string(), code: t.arg.string(), signature: t.arg.string() },
    resolve: (_root, { toMember, code, signature }, ctx) =>
      inTransaction(ctx, (tx) =>
        offerParticipantLink(tx, ctx.viewer, ctx.config.webauthn, linkLedger(ctx), {
          toMember,
          code,
          response: parseAssertion(signature),
        }),
      ),
  }),
);

builder.mutationField('participantLinkAcceptChallenge', (t) =>
  t.field({
    type: LinkChallengeType,
    description:
      'Step 3 (at the other site): the challenge your passkey here signs for a link code. Changes nothing.',
    authScopes: { roles: ['participant'] },
    errors: { types: WRITE_ERRORS },
    args: { code: t.arg.string() },
    resolve: (_root, { code }, ctx) =>
      inTransaction(ctx, (tx) =>
        participantLinkAcceptChallenge(tx, ctx.viewer, linkLedger(ctx), { code }),
      ),
  }),
);

builder.mutationField('acceptParticipantLink', (t) =>
  t.field({
    type: LinkResultType,
    description:
      'Step 4: your signed acceptance goes on the chain and your records are linked; decisions you sign at either site apply at both. Audited.',
    authScopes: { roles: ['participant'] },
    errors: { types: WRITE_ERRORS },
    args: { code: t.arg.string(), signature: t.arg.string() },
    resolve: (_root, { code, signature }, ctx) =>
      inTransaction(ctx, (tx) =>
        acceptParticipantLink(tx, ctx.viewer, ctx.config.webauthn, linkLedger(ctx), {
          code,
          response: parseAssertion(signature),
        }),
      ),
  }),
);
