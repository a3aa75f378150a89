import { fail } from '@sveltejs/kit';
import { graphql } from '$lib/graphql/graphql';
import { PreferencesFields } from '$lib/graphql/fragments';
import { signedIn } from '$lib/server/guard';
import { loadOrFail } from '$lib/server/load';
import { Refusal, mutationAction } from '$lib/server/mutate';
import { CHOICES, PURPOSES, type Choice, type PurposeKey } from '$lib/consent';
import type { FieldErrors } from '$lib/validate';
import type { Actions, PageServerLoad } from './$types';

const MyConsent = graphql(
  `
    query MyConsent { myConsent { current { ...PreferencesFields } history {
    ...PreferencesFields } } myParticipant { status } duoTerms { code plain } }
  `,
  [PreferencesFields],
);

const SetConsentPreferences = graphql(
  `
    mutation SetConsentPreferences($input: ConsentPreferencesInput!) {
    setConsentPreferences(input: $input) { ... on MutationSetConsentPreferencesSuccess { data {
    version } } ...Refusal } }
  `,
  [Refusal],
);

export const load: PageServerLoad = async ({ locals, fetch }) => {
  const { token } = signedIn(locals);
  const data = await loadOrFail(fetch, token, MyConsent, {});
  return {
    current: data.myConsent.current,
    history: data.myConsent.history,
    withdrawn: data.myParticipant?.status === 'withdrawn',
    plain: Object.fromEntries(data.duoTerms.map((t) => [t.code, t.plain])),
  };
};

const isChoice = (v: string): v is Choice => CHOICES.some((c) => c.value === v);

export const actions: Actions = {
  default: async ({ locals, fetch, request }) => {
    const { token } = signedIn(locals);
    const form = await request.formData();
    const purposes: Partial<Record<string, Choice>> = {};
    const shown: Record<string, Choice | ''> = {};
    const errors: FieldErrors = {};
    for (const p of PURPOSES) {
      const v = String(form.get(p.key) ?? '');
      shown[p.key] = isChoice(v) ? v : '';
      if (isChoice(v)) purposes[p.key] = v;
      else errors[p.key] = `Choose Allow, Don’t allow or Ask me each time.`;
    }
    const switches = {
      askEachTime: form.get('askEachTime') === 'on',
      discoverable: form.get('discoverable') === 'on',
      recontact: form.get('recontact') === 'on',
    };
    const values = { purposes: shown, ...switches };
    if (Object.keys(errors).length)
      return fail(400, { values, errors, message: 'Please answer every question.' });
    return mutationAction(
      fetch,
      token,
      SetConsentPreferences,
      // Every purpose was checked above.
      { input: { purposes: purposes as Record<PurposeKey, Choice>, ...switches } },
      {
        kept: { values },
        // `purposes.gru` → `gru`, the form's field.
        fieldName: (f) => f.replace(/^purposes\./, '').toLowerCase(),
        done: (data) => ({ saved: data.version }),
      },
    );
  },
};
