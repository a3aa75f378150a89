import { builder } from '../../builder.js';
import { WRITE_ERRORS } from '../../graphql/error-types.js';
import { loaders } from '../../graphql/loaders.js';
import { inTransaction } from '../../graphql/run.js';
import {
  cardsOfMyInstitution,
  issueLibraryCard,
  myLibraryCard,
  researchersOfMyInstitution,
  revokeLibraryCard,
  type LibraryCardRow,
} from './library-cards.js';

const PersonType = builder
  .objectRef<{ id: string; displayName: string; institution: string | null }>('CardHolder')
  .implement({
    description: 'A researcher or signing official named on a library card.',
    fields: (t) => ({
      id: t.exposeID('id'),
      displayName: t.exposeString('displayName'),
      institution: t.exposeString('institution', { nullable: true }),
    }),
  });

const LibraryCardType = builder.objectRef<LibraryCardRow>('LibraryCard').implement({
  description:
    'A signing official’s standing authorisation for a researcher of their institution (as in DUOS): while valid, the researcher’s requests skip a fresh approval by the official.',
  fields: (t) => ({
    id: t.exposeID('id'),
    institution: t.exposeString('institution'),
    issuedAt: t.expose('issuedAt', { type: 'DateTime' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
    valid: t.boolean({
      description: 'Neither revoked nor expired.',
      resolve: (c) => !c.revokedAt && c.expiresAt > new Date(),
    }),
    researcher: t.field({
      type: PersonType,
      resolve: async (c, _args, ctx) => (await loaders(ctx).userProfile.load(c.researcherId))!,
    }),
    issuedBy: t.field({
      type: PersonType,
      resolve: async (c, _args, ctx) => (await loaders(ctx).userProfile.load(c.issuedBy))!,
    }),
  }),
});

const InstitutionResearcherType = builder
  .objectRef<{ id: string; displayName: string; email: string }>('InstitutionResearcher')
  .implement({
    description: 'A researcher of the signing official’s institution.',
    fields: (t) => ({
      id: t.exposeID('id'),
      displayName: t.exposeString('displayName'),
      email: t.exposeString('email'),
    }),
  });

builder.queryField('institutionLibraryCards', (t) =>
  t.field({
    type: [LibraryCardType],
    description: 'The library cards of your institution, newest first (signing officials).',
    authScopes: { roles: ['signing_official'] },
    resolve: (_root, _args, ctx) =>
      inTransaction(ctx, (tx) => cardsOfMyInstitution(tx, ctx.viewer)),
  }),
);

builder.queryField('institutionResearchers', (t) =>
  t.field({
    type: [InstitutionResearcherType],
    description: 'The active researchers of your institution (signing officials).',
    authScopes: { roles: ['signing_official'] },
    resolve: (_root, _args, ctx) =>
      inTransaction(ctx, (tx) => researchersOfMyInstitution(tx, ctx.viewer)),
  }),
);

builder.queryField('myLibraryCard', (t) =>
  t.field({
    type: LibraryCardType,
    nullable: true,
    description: 'Your valid library card, or null (researchers).',
    authScopes: { roles: ['researcher'] },
    resolve: (_root, _args, ctx) => inTransaction(ctx, (tx) => myLibraryCard(tx, ctx.viewer)),
  }),
);

builder.mutationField('issueLibraryCard', (t) =>
  t.field({
    type: LibraryCardType,
    description:
      'A signing official issues a library card to a researcher of their institution, once they accepted every committee’s current data use agreement. Audited.',
    authScopes: { roles: ['signing_official'] },
    errors: { types: WRITE_ERRORS },
    args: { researcherId: t.arg.id(), expiresAt: t.arg({ type: 'DateTime' }) },
    resolve: (_root, args, ctx) =>
      inTransaction(ctx, (tx) =>
        issueLibraryCard(tx, ctx.viewer, {
          researcherId: String(args.researcherId),
          expiresAt: args.expiresAt,
        }),
      ),
  }),
);

builder.mutationField('revokeLibraryCard', (t) =>
  t.field({
    type: LibraryCardType,
    description: 'A signing official revokes a library card of their institution. Audited.',
    authScopes: { roles: ['signing_official'] },
    errors: { types: WRITE_ERRORS },
    args: { cardId: t.arg.id() },
    resolve: (_root, args, ctx) =>
      inTransaction(ctx, (tx) =>
        revokeLibraryCard(tx, ctx.viewer, { cardId: String(args.cardId) }),
      ),
  }),
);
