import { builder } from '../../builder.js';
import { roleGatedRead } from '../../graphql/role-gated-fields.js';
import { WRITE_ERRORS } from '../../graphql/error-types.js';
import { SigningStatementType } from '../passkeys/passkeys.types.js';
import { prepareSigningStatement } from '../passkeys/signed-consent.js';
import type { ChainRecordStatus } from '../chain/record-status.js';
import {
  getMyConsent,
  setConsentPreferences,
  type MyConsent,
  type PreferenceVersion,
} from './consent.service.js';
import type { StartingPoint } from './starting-point.js';
import { CollectionConsentType } from '../datasets/collection-consent.types.js';
import {
  CONSENT_SCOPES,
  type ConsentChoice,
  type ConsentPreferences,
  type DiseaseChoice,
} from './preferences.js';

const ConsentChoiceEnum = builder.enumType('ConsentChoice', {
  description: 'A standing answer: PERMIT, DENY, or ASK me about each study.',
  values: { PERMIT: { value: 'permit' }, DENY: { value: 'deny' }, ASK: { value: 'ask' } } as const,
});

const PurposeChoicesType = builder
  .objectRef<ConsentPreferences['purposes']>('ConsentPurposeChoices')
  .implement({
    description: 'Standing answers per purpose (DUO categories, methods research, commercial use).',
    fields: (t) =>
      Object.fromEntries(
        CONSENT_SCOPES.map((scope) => [
          scope.toLowerCase(),
          t.field({ type: ConsentChoiceEnum, resolve: (p) => p[scope] as ConsentChoice }),
        ]),
      ) as never,
  });

const ChainStateEnum = builder.enumType('ConsentChainState', {
  values: {
    ON_CHAIN: { value: 'on_chain', description: 'Every record of this version is on chain.' },
    PENDING: { value: 'pending', description: 'Waiting to be sent to the chain.' },
    NOT_RECORDED: {
      value: 'not_recorded',
      description: 'The chain refused it: your decision was not recorded there (see reason).',
    },
  } as const,
});

const ChainRecordStatusType = builder.objectRef<ChainRecordStatus>('ConsentChainStatus').implement({
  fields: (t) => ({
    state: t.field({ type: ChainStateEnum, resolve: (s) => s.state }),
    reason: t.exposeString('reason', { nullable: true }),
  }),
});

const DiseaseChoiceType = builder.objectRef<DiseaseChoice>('ConsentDiseaseChoice').implement({
  description:
    'A standing answer for research on one disease and the diseases below it in MONDO: it refines the DS answer.',
  fields: (t) => ({
    id: t.exposeString('id', { description: 'MONDO CURIE, e.g. MONDO:0002025.' }),
    choice: t.field({ type: ConsentChoiceEnum, resolve: (d) => d.choice }),
  }),
});

/** A preference version as the API shows it. */
export const PreferencesType = builder
  .objectRef<PreferenceVersion>('ConsentPreferences')
  .implement({
    description:
      'One version of a participant’s standing consent preferences (version 0: nothing stated yet).',
    fields: (t) => ({
      version: t.exposeInt('version'),
      purposes: t.field({ type: PurposeChoicesType, resolve: (p) => p.purposes }),
      diseases: t.field({
        type: [DiseaseChoiceType],
        description:
          'Per-disease refinements of DS; the most specific one on a disease’s is-a ancestry decides (docs/consent-precedence.md).',
        resolve: (p) => p.diseases ?? [],
      }),
      chain: t.field({
        type: ChainRecordStatusType,
        nullable: true,
        description: 'Whether this version reached the consent ledger (null: nothing to record).',
        resolve: (p) => p.chain ?? null,
      }),
      signedWith: t.exposeString('signedWith', {
        nullable: true,
        description:
          'Credential id of your passkey that signed this version; null: recorded by the institution for you.',
      }),
      askEachTime: t.exposeBoolean('askEachTime'),
      discoverable: t.exposeBoolean('discoverable', {
        description: 'Counted in discovery queries.',
      }),
      recontact: t.exposeBoolean('recontact'),
      createdAt: t.expose('createdAt', { type: 'DateTime', nullable: true }),
    }),
  });

const StartingPointType = builder.objectRef<StartingPoint>('ConsentStartingPoint').implement({
  description: 'The consent you gave when the data of one of your datasets was collected.',
  fields: (t) => ({
    datasetName: t.exposeString('datasetName'),
    collection: t.field({ type: CollectionConsentType, resolve: (s) => s.collection }),
  }),
});

const MyConsentType = builder.objectRef<MyConsent>('MyConsent').implement({
  fields: (t) => ({
    startingPoints: t.field({
      type: [StartingPointType],
      description:
        'What you agreed to when you joined, per dataset: it applies until you make your own choices.',
      resolve: (c) => c.startingPoints,
    }),
    statedOwn: t.exposeBoolean('statedOwn', {
      description: 'You have made your own choices (they replace your starting point).',
    }),
    current: t.field({ type: PreferencesType, resolve: (c) => c.current }),
    history: t.field({
      type: [PreferencesType],
      description: 'Newest first.',
      resolve: (c) => c.history,
    }),
  }),
});

const PurposeChoicesInput = builder.inputType('ConsentPurposeChoicesInput', {
  fields: (t) =>
    Object.fromEntries(
      CONSENT_SCOPES.map((scope) => [scope.toLowerCase(), t.field({ type: ConsentChoiceEnum })]),
    ) as never,
});

/** GraphQL's camelCase purpose fields (gru, hmb, …) as the service's scope codes. */
function purposesFromInput(input: Record<string, ConsentChoice>): Record<string, ConsentChoice> {
  return Object.fromEntries(CONSENT_SCOPES.map((scope) => [scope, input[scope.toLowerCase()]!]));
}

const DiseaseChoiceInput = builder.inputType('ConsentDiseaseChoiceInput', {
  fields: (t) => ({
    id: t.string({ description: 'MONDO CURIE, e.g. MONDO:0002025.' }),
    choice: t.field({ type: ConsentChoiceEnum }),
  }),
});

/** A full set of standing preferences as the API takes it. */
export const PreferencesInput = builder.inputType('ConsentPreferencesInput', {
  fields: (t) => ({
    purposes: t.field({ type: PurposeChoicesInput }),
    diseases: t.field({
      type: [DiseaseChoiceInput],
      required: false,
      description:
        'Per-disease refinements of DS (MONDO ids). Contradictions such as allowing all research but denying health research are refused.',
    }),
    askEachTime: t.boolean(),
    discoverable: t.boolean(),
    recontact: t.boolean(),
  }),
});

roleGatedRead('myConsent', {
  type: MyConsentType,
  description: 'Your standing consent preferences and their history (participants only).',
  roles: ['participant'],
  run: (tx, viewer) => getMyConsent(tx, viewer),
});

builder.mutationField('signingStatementForPreferences', (t) =>
  t.field({
    type: SigningStatementType,
    description:
      'The exact records setConsentPreferences(input) would put on chain, for your passkey to sign. Changes nothing.',
    authScopes: { roles: ['participant'] },
    errors: { types: WRITE_ERRORS },
    args: { input: t.arg({ type: PreferencesInput }) },
    resolve: (_root, { input }, ctx) =>
      prepareSigningStatement(
        ctx.db,
        (tx, signing) => setConsentPreferences(tx, ctx.viewer, preferencesOf(input), signing),
        ctx.config.webauthn,
      ),
  }),
);

/** The service's input from the API's (purpose choices in lower case). */
export function preferencesOf(input: { purposes: unknown } & Record<string, unknown>): unknown {
  const { diseases, ...rest } = input;
  return {
    ...rest,
    ...(diseases == null ? {} : { diseases }),
    purposes: purposesFromInput(input.purposes as Record<string, ConsentChoice>),
  };
}

/** A MONDO disease a participant can name in a DS choice. */
interface DiseaseTerm {
  id: string;
  label: string;
}

const DiseaseTermType = builder.objectRef<DiseaseTerm>('DiseaseTerm').implement({
  fields: (t) => ({ id: t.exposeString('id'), label: t.exposeString('label') }),
});

builder.queryField('diseaseTerms', (t) =>
  t.field({
    type: [DiseaseTermType],
    description:
      'The MONDO diseases a DS choice can name (the imported ontology, public knowledge: no participant data), by label.',
    resolve: async (_root, _args, ctx) => {
      const graph = (await ctx.services.cohorts.current()).ontologyGraph();
      return [...graph.terms()]
        .filter(([id]) => id.startsWith('MONDO:'))
        .map(([id, label]) => ({ id, label }))
        .sort((a, b) => a.label.localeCompare(b.label));
    },
  }),
);
