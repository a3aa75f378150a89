import { fail } from '@sveltejs/kit';
import { graphql } from '$lib/graphql/graphql';
import { PreferencesFields } from '$lib/graphql/fragments';
import { api } from '$lib/server/api';
import { messageOf, signedIn } from '$lib/server/guard';
import { loadOrFail } from '$lib/server/load';
import { Refusal, mutationAction } from '$lib/server/mutate';
import { CHOICES, PURPOSES, type Choice, type PurposeKey } from '$lib/consent';
import type { FieldErrors } from '$lib/validate';
import type { Actions, PageServerLoad } from './$types';

const ParticipantFields = graphql(
  `
    fragment CoordinatorParticipantFields on CoordinatorParticipant { id enrolmentId status
    preferences { ...PreferencesFields } requests { id status decision study { title } }
    paperRecords { id kind institution formVersion signedOn witnessName scanSha256 recordedAt }
    representatives { id representativeName relationship endsOn endReason ended confirmed } }
  `,
  [PreferencesFields],
);

const FormVersions = graphql(`
  query ConsentFormVersions { consentFormVersions { version title } }
`);

const FindParticipant = graphql(
  `
    query FindParticipantAtMySite($enrolmentId: String!) { participantAtMySite(enrolmentId:
    $enrolmentId) { ... on QueryParticipantAtMySiteSuccess { data {
    ...CoordinatorParticipantFields } } ... on Error { message code } } }
  `,
  [ParticipantFields],
);

const RecordPaperConsent = graphql(
  `
    mutation RecordPaperConsent($participantId: ID!, $decision: PaperDecisionInput!,
    $formVersion: String!, $signedOn: String!, $witnessName: String!, $scan: File) {
    recordPaperConsent(participantId: $participantId, decision: $decision, formVersion:
    $formVersion, signedOn: $signedOn, witnessName: $witnessName, scan: $scan) { ... on
    MutationRecordPaperConsentSuccess { data { ...CoordinatorParticipantFields } } ...Refusal } }
  `,
  [Refusal, ParticipantFields],
);

const LinkRepresentative = graphql(
  `
    mutation LinkRepresentative($input: RepresentationLinkInput!) { linkRepresentative(input:
    $input) { ... on MutationLinkRepresentativeSuccess { data { ...CoordinatorParticipantFields }
    } ...Refusal } }
  `,
  [Refusal, ParticipantFields],
);

export const load: PageServerLoad = async ({ locals, fetch, url }) => {
  const { token } = signedIn(locals);
  const { consentFormVersions } = await loadOrFail(fetch, token, FormVersions, {});
  const enrolmentId = (url.searchParams.get('enrolmentId') ?? '').trim();
  if (!enrolmentId) return { formVersions: consentFormVersions, enrolmentId, found: null };
  let found = null;
  let findError: string | null = null;
  try {
    const r = (await api(fetch, token, FindParticipant, { enrolmentId })).participantAtMySite;
    if ('data' in r) found = r.data;
    else
      findError =
        r.code === 'NOT_FOUND'
          ? `No participant of your site has the enrolment id “${enrolmentId}”.`
          : r.message;
  } catch (e) {
    findError = messageOf(e);
  }
  return { formVersions: consentFormVersions, enrolmentId, found, findError };
};

const isChoice = (v: string): v is Choice => CHOICES.some((c) => c.value === v);
const KINDS = ['preferences', 'answer', 'withdrawal'] as const;

/** The decision part of the paper form, as the API's input, or the fields in error. */
function readDecision(form: FormData) {
  const kind = KINDS.find((k) => k === form.get('kind'));
  const errors: FieldErrors = {};
  if (!kind) return { errors: { kind: 'Choose what the participant decided.' } };
  if (kind === 'withdrawal') return { errors, decision: { kind } };
  if (kind === 'answer') {
    const requestId = String(form.get('requestId') ?? '');
    const decision = String(form.get('decision') ?? '');
    if (!requestId) errors.requestId = 'Choose the study request the form answers.';
    if (decision !== 'PERMIT' && decision !== 'DENY') errors.decision = 'Choose yes or no.';
    return {
      errors,
      decision: { kind, requestId, decision: decision as 'PERMIT' | 'DENY' },
    };
  }
  const purposes: Partial<Record<PurposeKey, Choice>> = {};
  for (const p of PURPOSES) {
    const v = String(form.get(p.key) ?? '');
    if (isChoice(v)) purposes[p.key] = v;
    else errors[p.key] = 'Choose Allow, Don’t allow or Ask each time.';
  }
  return {
    errors,
    decision: {
      kind,
      preferences: {
        purposes: purposes as Record<PurposeKey, Choice>,
        askEachTime: form.get('askEachTime') === 'on',
        discoverable: form.get('discoverable') === 'on',
        recontact: form.get('recontact') === 'on',
      },
    },
  };
}

export const actions: Actions = {
  /** Records a decision the participant took on paper, with the form's facts and its scan. */
  record: async ({ locals, fetch, request }) => {
    const { token } = signedIn(locals);
    const form = await request.formData();
    const values = {
      participantId: String(form.get('participantId') ?? ''),
      formVersion: String(form.get('formVersion') ?? ''),
      signedOn: String(form.get('signedOn') ?? ''),
      witnessName: String(form.get('witnessName') ?? '').trim(),
    };
    const read = readDecision(form);
    const errors: FieldErrors = { ...read.errors };
    const scan = form.get('scan');
    if (!values.formVersion) errors.formVersion = 'Choose the version printed on the form.';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(values.signedOn))
      errors.signedOn = 'Enter the date the form was signed.';
    if (!values.witnessName) errors.witnessName = 'Name the witness who signed the form.';
    if (!(scan instanceof File) || scan.size === 0) errors.scan = 'Attach the scan (PDF).';
    if (Object.keys(errors).length || !read.decision)
      return fail(400, {
        action: 'record',
        values,
        errors,
        message: 'Please complete the form.',
        errorType: 'VALIDATION',
      });
    return mutationAction(
      fetch,
      token,
      RecordPaperConsent,
      { ...values, decision: read.decision, scan: scan as File },
      {
        kept: { action: 'record', values },
        fieldName: (f) =>
          f
            .replace(/^decision\.(preferences\.)?(purposes\.)?/, '')
            .replace(/^preferences$/, 'kind'),
        done: (data) => ({ recorded: data.enrolmentId }),
      },
    );
  },
  /** Links a legal representative's portal account to the participant. */
  link: async ({ locals, fetch, request }) => {
    const { token } = signedIn(locals);
    const form = await request.formData();
    const until = String(form.get('until') ?? 'majority');
    const values = {
      participantId: String(form.get('participantId') ?? ''),
      representativeEmail: String(form.get('representativeEmail') ?? '').trim(),
      relationship: String(form.get('relationship') ?? ''),
      dateOfBirth: until === 'majority' ? String(form.get('dateOfBirth') ?? '') : '',
      endsOn: until === 'date' ? String(form.get('endsOn') ?? '') : '',
    };
    return mutationAction(
      fetch,
      token,
      LinkRepresentative,
      {
        input: {
          participantId: values.participantId,
          representativeEmail: values.representativeEmail,
          relationship: values.relationship,
          dateOfBirth: values.dateOfBirth || null,
          endsOn: values.endsOn || null,
        },
      },
      {
        kept: { action: 'link', values },
        done: (data) => ({ linked: data.enrolmentId }),
      },
    );
  },
};
