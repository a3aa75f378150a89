import { fail } from '@sveltejs/kit';
import { graphql } from '$lib/graphql/graphql';
import { PasskeyFields, PreferencesFields, SigningStatementFields } from '$lib/graphql/fragments';
import { readActingFor } from '$lib/server/acting-for';
import { api } from '$lib/server/api';
import { signedIn } from '$lib/server/guard';
import { loadOrFail } from '$lib/server/load';
import { Refusal, mutationAction } from '$lib/server/mutate';
import { notRecorded, signatureOf, statementAction } from '$lib/server/signature';
import { CHOICES, PURPOSES, contradictionsOf, type Choice, type PurposeKey } from '$lib/consent';
import { m } from '$lib/paraglide/messages';
import type { FieldErrors } from '$lib/validate';
import type { Actions, PageServerLoad } from './$types';

const MyConsent = graphql(
  `
    query MyConsent { myConsent { current { ...PreferencesFields } history {
    ...PreferencesFields } startingPoints { datasetName collection { kind duoCodes } }
    statedOwn } myParticipant { status } duoTerms { code plain }
    myPasskeys { ...PasskeyFields } diseaseTerms { id label } }
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
    diseaseTerms: data.diseaseTerms,
    passkeys: data.myPasskeys,
    // Who records an unsigned decision for the participant, named in the history.
    institution: viewer.institution ?? 'Consentome',
    toConfirm,
  };
};

const isChoice = (v: string): v is Choice => CHOICES.some((c) => c.value === v);

/**
 * The disease choices: each named disease (`disease`, in the order shown) with its answer
 * (`disease:<id>`). A disease without an answer is an error on its own question.
 */
function readDiseases(form: FormData, errors: FieldErrors) {
  const shown: { id: string; choice: Choice | '' }[] = [];
  for (const id of new Set(form.getAll('disease').map(String))) {
    const v = String(form.get(`disease:${id}`) ?? '');
    shown.push({ id, choice: isChoice(v) ? v : '' });
    if (!isChoice(v)) errors[`disease:${id}`] = m.consent_disease_choose({ disease: id });
  }
  return shown;
}

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
  const diseases = readDiseases(form, errors);
  // Contradictions are explained in the participant's language before the API refuses them.
  for (const c of contradictionsOf(shown)) errors[c.key] = c.message;
  const values = { purposes: shown, diseases, ...switches };
  if (Object.keys(errors).length) return { ok: false as const, values, errors };
  // Every purpose and disease was checked above.
  const input = {
    purposes: purposes as Record<PurposeKey, Choice>,
    diseases: diseases as { id: string; choice: Choice }[],
    ...switches,
  };
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
    if (!read.ok)
      return fail(400, {
        values: read.values,
        errors: read.errors,
        message: m.consent_fix_above(),
      });
    return statementAction(fetch, token, PreferencesStatement, { input: read.input });
  },
  save: async ({ locals, fetch, request }) => {
    const { token } = signedIn(locals);
    const form = await request.formData();
    const read = readForm(form);
    const { values } = read;
    if (!read.ok) return fail(400, { values, errors: read.errors, message: m.consent_fix_above() });
    const signature = signatureOf(form);
    return mutationAction(
      fetch,
      token,
      SetConsentPreferences,
      { input: read.input, signature },
      {
        kept: { values },
        // `purposes.GRU` → `gru`, `diseases.0.id` → `disease:<id>`: the form's fields.
        fieldName: (f) => {
          const d = /^diseases\.(\d+)/.exec(f);
          if (d) return `disease:${values.diseases[Number(d[1])]?.id ?? ''}`;
          return f.replace(/^purposes\./, '').toLowerCase();
        },
        done: (data) => ({ saved: data.version }),
        // A refused signed decision: say plainly that nothing was recorded, and why.
        refusedMessage: signature ? notRecorded : undefined,
      },
    );
  },
};
