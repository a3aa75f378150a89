import { builder } from '../../builder.js';
import { roleGatedRead, roleGatedWrite } from '../../graphql/role-gated-fields.js';
import { loaders } from '../../graphql/loaders.js';
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

roleGatedRead('institutionLibraryCards', {
  type: [LibraryCardType],
  description: 'The library cards of your institution, newest first (signing officials).',
  roles: ['signing_official'],
  run: (tx, viewer) => cardsOfMyInstitution(tx, viewer),
});

roleGatedRead('institutionResearchers', {
  type: [InstitutionResearcherType],
  description: 'The active researchers of your institution (signing officials).',
  roles: ['signing_official'],
  run: (tx, viewer) => researchersOfMyInstitution(tx, viewer),
});

roleGatedRead('myLibraryCard', {
  type: LibraryCardType,
  nullable: true,
  description: 'Your valid library card, or null (researchers).',
  roles: ['researcher'],
  run: (tx, viewer) => myLibraryCard(tx, viewer),
});

roleGatedWrite('issueLibraryCard', {
  type: LibraryCardType,
  description:
    'A signing official issues a library card to a researcher of their institution, once they accepted every committee’s current data use agreement. Audited.',
  roles: ['signing_official'],
  args: (t) => ({ researcherId: t.arg.id(), expiresAt: t.arg({ type: 'DateTime' }) }),
  run: (tx, viewer, args) =>
    issueLibraryCard(tx, viewer, {
      researcherId: String(args.researcherId),
      expiresAt: args.expiresAt,
    }),
});

roleGatedWrite('revokeLibraryCard', {
  type: LibraryCardType,
  description: 'A signing official revokes a library card of their institution. Audited.',
  roles: ['signing_official'],
  args: (t) => ({ cardId: t.arg.id() }),
  run: (tx, viewer, args) => revokeLibraryCard(tx, viewer, { cardId: String(args.cardId) }),
});
