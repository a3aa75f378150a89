/** The research purposes a participant answers in their standing preferences. */
export type PreferencePurpose = 'gru' | 'hmb' | 'ds' | 'poa' | 'methods' | 'commercial';

/**
 * A `ConsentPreferencesInput` as the API takes it: every purpose `ASK` unless `purposes` answers
 * it (the GraphQL enum value as a string: `PERMIT`, `DENY`, …), not asked at each use,
 * discoverable, no recontact, unless `settings` says otherwise. Tests name only what they vary.
 */
export function consentPreferencesInput(
  purposes: Partial<Record<PreferencePurpose, string>> = {},
  settings: Partial<{ askEachTime: boolean; discoverable: boolean; recontact: boolean }> = {},
) {
  return {
    purposes: {
      gru: 'ASK',
      hmb: 'ASK',
      ds: 'ASK',
      poa: 'ASK',
      methods: 'ASK',
      commercial: 'ASK',
      ...purposes,
    },
    askEachTime: false,
    discoverable: true,
    recontact: false,
    ...settings,
  };
}
