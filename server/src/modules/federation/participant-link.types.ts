import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { builder } from '../../builder.js';
import { ConflictError } from '../../errors/app-errors.js';
import type { GraphQLContext } from '../../graphql/context.js';
import { WRITE_ERRORS } from '../../graphql/error-types.js';
import { inTransaction } from '../../graphql/run.js';
import { parseWebAuthnResponse } from '../passkeys/webauthn-response.js';
import {
  acceptParticipantLink,
  offerParticipantLink,
  participantLinkAcceptChallenge,
  participantLinkOfferChallenge,
  type LinkChallenge,
  type LinkLedger,
} from './participant-link.service.js';
import {
  participantLinking,
  type LinkSite,
  type ParticipantLinking,
  type ParticipantLinkView,
} from './participant-link-list.js';

/** The chain this site writes to; linking needs one. */
function linkLedger(ctx: GraphQLContext): LinkLedger {
  const ledger = ctx.services.chain?.ledger;
  if (!ledger) throw new ConflictError('This site is not connected to the network’s chain');
  return ledger;
}

const LinkChallengeType = builder.objectRef<LinkChallenge>('ParticipantLinkChallenge').implement({
  description: 'What your passkey signs to link your record here with your record at another site.',
  fields: (t) => ({
    challenge: t.exposeString('challenge', { description: 'The WebAuthn challenge, base64url.' }),
    code: t.exposeString('code', {
      description: 'The link code: send it back with the signature; at the other site, enter it.',
    }),
    member: t.exposeString('member', { description: 'The other site (its member id).' }),
    memberName: t.exposeString('memberName', {
      description: 'The other site’s name, from the chain registry.',
    }),
  }),
});

const LinkSiteType = builder.objectRef<LinkSite>('ParticipantLinkSite').implement({
  description: 'A member institution of the network, as a participant sees it.',
  fields: (t) => ({
    id: t.exposeString('id', { description: 'Its member id on the chain.' }),
    name: t.exposeString('name'),
  }),
});

const LinkStatusEnum = builder.enumType('ParticipantLinkStatus', {
  values: {
    PENDING: {
      value: 'pending',
      description: 'Offered here; the other site has not accepted it yet.',
    },
    LINKED: { value: 'linked', description: 'Both sites signed: the records are linked.' },
    EXPIRED: { value: 'expired', description: 'Offered here and never accepted in time.' },
  } as const,
});

const LinkRoleEnum = builder.enumType('ParticipantLinkRole', {
  values: {
    OFFER: { value: 'offer', description: 'Offered at this site.' },
    ACCEPT: { value: 'accept', description: 'Made at the other site and accepted here.' },
  } as const,
});

const LinkViewType = builder.objectRef<ParticipantLinkView>('ParticipantSiteLink').implement({
  description: 'One of your links between your record here and your record at another site.',
  fields: (t) => ({
    code: t.exposeString('code', {
      nullable: true,
      description: 'The link code to enter at the other site, while the offer waits.',
    }),
    role: t.expose('role', { type: LinkRoleEnum }),
    site: t.expose('site', { type: LinkSiteType }),
    since: t.expose('since', { type: 'DateTime' }),
    status: t.expose('status', { type: LinkStatusEnum }),
  }),
});

const LinkingType = builder.objectRef<ParticipantLinking>('ParticipantLinking').implement({
  description: 'What your “link my record at another site” page shows.',
  fields: (t) => ({
    site: t.expose('site', {
      type: LinkSiteType,
      nullable: true,
      description: 'This site on the network; null when it is not a member of one.',
    }),
    sites: t.expose('sites', {
      type: [LinkSiteType],
      description: 'The other member institutions you can link with.',
    }),
    links: t.expose('links', { type: [LinkViewType], description: 'Newest first.' }),
  }),
});

builder.queryField('participantLinking', (t) =>
  t.field({
    type: LinkingType,
    description:
      'Your links with your records at other member sites, and the sites you can link with (yours only).',
    authScopes: { roles: ['participant'] },
    resolve: (_root, _args, ctx) =>
      inTransaction(ctx, (tx) =>
        participantLinking(tx, ctx.viewer, ctx.services.chain?.ledger ?? null),
      ),
  }),
);

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
          response: parseWebAuthnResponse<AuthenticationResponseJSON>('signature', signature),
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
          response: parseWebAuthnResponse<AuthenticationResponseJSON>('signature', signature),
        }),
      ),
  }),
);
