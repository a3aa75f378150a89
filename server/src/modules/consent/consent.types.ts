import { builder } from '../../builder.js';
import { WRITE_ERRORS } from '../../graphql/error-types.js';
import { inTransaction } from '../../graphql/run.js';
import { getMyConsent, setConsentPreferences, type PreferenceVersion } from './consent.service.js';
import { CONSENT_SCOPES, type ConsentChoice, type ConsentPreferences } from './preferences.js';

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

const PreferencesType = builder.objectRef<PreferenceVersion>('ConsentPreferences').implement({
  description:
    'One version of a participant’s standing consent preferences (version 0: nothing stated yet).',
  fields: (t) => ({
    version: t.exposeInt('version'),
    purposes: t.field({ type: PurposeChoicesType, resolve: (p) => p.purposes }),
    askEachTime: t.exposeBoolean('askEachTime'),
    discoverable: t.exposeBoolean('discoverable', { description: 'Counted in discovery queries.' }),
    recontact: t.exposeBoolean('recontact'),
    createdAt: t.expose('createdAt', { type: 'DateTime', nullable: true }),
  }),
});

const MyConsentType = builder
  .objectRef<{ current: PreferenceVersion; history: PreferenceVersion[] }>('MyConsent')
  .implement({
    fields: (t) => ({
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

const PreferencesInput = builder.inputType('ConsentPreferencesInput', {
  fields: (t) => ({
    purposes: t.field({ type: PurposeChoicesInput }),
    askEachTime: t.boolean(),
    discoverable: t.boolean(),
    recontact: t.boolean(),
  }),
});

builder.queryField('myConsent', (t) =>
  t.field({
    type: MyConsentType,
    description: 'Your standing consent preferences and their history (participants only).',
    authScopes: { roles: ['participant'] },
    resolve: (_root, _args, ctx) => inTransaction(ctx, (tx) => getMyConsent(tx, ctx.viewer)),
  }),
);

builder.mutationField('setConsentPreferences', (t) =>
  t.field({
    type: PreferencesType,
    description: 'Sets your standing preferences: a new version, audited and recorded on chain.',
    authScopes: { roles: ['participant'] },
    errors: { types: WRITE_ERRORS },
    args: { input: t.arg({ type: PreferencesInput }) },
    resolve: (_root, { input }, ctx) =>
      inTransaction(ctx, (tx) =>
        setConsentPreferences(tx, ctx.viewer, {
          ...input,
          purposes: purposesFromInput(input.purposes as Record<string, ConsentChoice>),
        }),
      ),
  }),
);
