import { fail } from '@sveltejs/kit';
import { graphql } from '$lib/graphql/graphql';
import { PasskeyFields, PreferencesFields, SigningStatementFields } from '$lib/graphql/fragments';
import { readActingFor } from '$lib/server/acting-for';
import { api } from '$lib/server/api';
import { signedIn } from '$lib/server/guard';
import { loadOrFail } from '$lib/server/load';
import { Refusal, mutationAction } from '$lib/server/mutate';
import { notRecorded, signatureOf, statementAction } from '$lib/server/signature';
import { CHOICES, PURPOSES, type Choice, type PurposeKey } from '$lib/consent';
import type { FieldErrors } from '$lib/validate';
import type { Actions, PageServerLoad } from './$types';

const MyConsent = graphql(
  `
    query MyConsent { myConsent { current { ...PreferencesFields } history {
    ...PreferencesFields } startingPoints { datasetName collection { kind summary } }
    statedOwn } myParticipant { status } duoTerms { code plain }
    myPasskeys { ...PasskeyFields } }
  `,
  [PreferencesFields, PasskeyFields],
);

const PreferencesStatement = graphql(
  `
    mutation PreferencesStatement($input: ConsentPreferencesInput!) {
    signingStatementForPreferences(input: $input) {
    ... on MutationSigningStatementForPreferencesSuccess { data { ...SigningStatementFields } }
    ...Refusal } }
  `,
  [Refusal, SigningStatementFields],
);

const SetConsentPreferences = graphql(
  `
    mutation SetConsentPreferences($input: ConsentPreferencesInput!,
    $signature: ConsentSignatureInput) { setConsentPreferences(input: $input,
    signature: $signature) { ... on MutationSetConsentPreferencesSuccess { data {
    version } } ...Refusal } }
  `,
  [Refusal],
);

const DecisionsToConfirm = graphql(`
  query DecisionsToConfirm { decisionsToConfirm { id representativeName relationship endedOn } }
`);

const ConfirmDecisions = graphql(
  `
    mutation ConfirmDecisions { confirmDecisionsMadeForMe { ... on
    MutationConfirmDecisionsMadeForMeSuccess { data } ...Refusal } }
  `,
  [Refusal],
);

export const load: PageServerLoad = async ({ locals, fetch, cookies }) => {
  const { token, viewer } = signedIn(locals);
  const data = await loadOrFail(fetch, token, MyConsent, {});
  // A representation that ended asks the participant (never their representative) to confirm.
  const toConfirm = readActingFor(cookies)
    ? []
    : await api(fetch, token, DecisionsToConfirm, {})
        .then((d) => d.decisionsToConfirm)
        .catch(() => []);
  return {
    current: data.myConsent.current,
    history: data.myConsent.history,
    startingPoints: data.myConsent.startingPoints,
    statedOwn: data.myConsent.statedOwn,
    withdrawn: data.myParticipant?.status === 'withdrawn',
    plain: Object.fromEntries(data.duoTerms.map((t) => [t.code, t.plain])),
    passkeys: data.myPasskeys,
    // Who records an unsigned decision for the participant, named in the history.
    institution: viewer.institution ?? 'Consentome',
    toConfirm,
  };
};

const isChoice = (v: string): v is Choice => CHOICES.some((c) => c.value === v);

/** The form's choices as the API's input, or the form's errors and the values to show again. */
function readForm(form: FormData) {
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
  if (Object.keys(errors).length) return { ok: false as const, values, errors };
  // Every purpose was checked above.
  const input = { purposes: purposes as Record<PurposeKey, Choice>, ...switches };
  return { ok: true as const, values, input };
}

export const actions: Actions = {
  /** The participant confirms the decisions their representative made for them. */
  confirm: async ({ locals, fetch }) => {
    const { token } = signedIn(locals);
    return mutationAction(
      fetch,
      token,
      ConfirmDecisions,
      {},
      {
        kept: {},
        done: (n) => ({ confirmedDecisions: n }),
      },
    );
  },
  /** What the participant's passkey signs for these choices (the browser asks before `save`). */
  statement: async ({ locals, fetch, request }) => {
    const { token } = signedIn(locals);
    const read = readForm(await request.formData());
    if (!read.ok) return fail(400, { message: 'Please answer every question.' });
    return statementAction(fetch, token, PreferencesStatement, { input: read.input });
  },
  save: async ({ locals, fetch, request }) => {
    const { token } = signedIn(locals);
    const form = await request.formData();
    const read = readForm(form);
    const { values } = read;
    if (!read.ok)
      return fail(400, { values, errors: read.errors, message: 'Please answer every question.' });
    const signature = signatureOf(form);
    return mutationAction(
      fetch,
      token,
      SetConsentPreferences,
      { input: read.input, signature },
      {
        kept: { values },
        // `purposes.gru` → `gru`, the form's field.
        fieldName: (f) => f.replace(/^purposes\./, '').toLowerCase(),
        done: (data) => ({ saved: data.version }),
        // A refused signed decision: say plainly that nothing was recorded, and why.
        refusedMessage: signature ? notRecorded : undefined,
      },
    );
  },
};
