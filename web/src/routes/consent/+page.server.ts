import { fail } from '@sveltejs/kit';
import { apiText } from '$lib/server/api';
import { messageOf, requireRole } from '$lib/server/guard';
import { PURPOSES, type Choice, type Preferences } from '$lib/consent';
import type { FieldErrors } from '$lib/validate';
import type { Actions, PageServerLoad } from './$types';

const ROLES = ['participant'] as const;
const WHAT = 'consent preferences (participants only)';
const PREFS = `version purposes { gru hmb ds poa methods commercial } askEachTime discoverable recontact createdAt`;
const VALID: readonly string[] = ['PERMIT', 'DENY', 'ASK'];

export const load: PageServerLoad = async ({ locals, fetch }) => {
  const { token } = requireRole(locals, ROLES, WHAT);
  try {
    const data = await apiText<{
      myConsent: { current: Preferences; history: Preferences[] };
      myParticipant: { status: string } | null;
      duoTerms: { code: string; plain: string }[];
    }>(
      fetch,
      `{ myConsent { current { ${PREFS} } history { ${PREFS} } }
         myParticipant { status } duoTerms { code plain } }`,
      {},
      token,
    );
    const plain: Record<string, string> = {};
    for (const t of data.duoTerms) plain[t.code] = t.plain;
    return {
      current: data.myConsent.current,
      history: data.myConsent.history,
      withdrawn: data.myParticipant?.status === 'withdrawn',
      plain,
      loadError: null,
    };
  } catch (e) {
    return {
      current: null,
      history: [] as Preferences[],
      withdrawn: false,
      plain: {} as Record<string, string>,
      loadError: messageOf(e),
    };
  }
};

type Typed =
  | { __typename: 'MutationSetConsentPreferencesSuccess'; data: { version: number } }
  | { __typename: string; message: string; fieldErrors?: { field: string; message: string }[] };

export const actions: Actions = {
  default: async ({ locals, fetch, request }) => {
    const { token } = requireRole(locals, ROLES, WHAT);
    const form = await request.formData();
    const purposes: Record<string, string> = {};
    const errors: FieldErrors = {};
    for (const p of PURPOSES) {
      const v = String(form.get(p.key) ?? '');
      purposes[p.key] = v;
      if (!VALID.includes(v)) errors[p.key] = `Choose Allow, Don’t allow or Ask me each time.`;
    }
    const values = {
      purposes: purposes as Record<string, Choice | ''>,
      askEachTime: form.get('askEachTime') === 'on',
      discoverable: form.get('discoverable') === 'on',
      recontact: form.get('recontact') === 'on',
    };
    if (Object.keys(errors).length)
      return fail(400, { values, errors, message: 'Please answer every question.' });
    try {
      const { setConsentPreferences: r } = await apiText<{ setConsentPreferences: Typed }>(
        fetch,
        `mutation($input: ConsentPreferencesInput!) { setConsentPreferences(input: $input) {
          __typename
          ... on MutationSetConsentPreferencesSuccess { data { version } }
          ... on Error { message }
          ... on ValidationError { fieldErrors { field message } }
        } }`,
        { input: values },
        token,
      );
      if (!('data' in r)) {
        const fieldErrors: FieldErrors = {};
        for (const f of r.fieldErrors ?? []) {
          const key = f.field.replace(/^purposes\./, '').toLowerCase();
          fieldErrors[key] ??= f.message;
        }
        return fail(400, { values, errors: fieldErrors, message: r.message });
      }
      return { saved: r.data.version };
    } catch (e) {
      return fail(502, { values, errors: {} as FieldErrors, message: messageOf(e) });
    }
  },
};
