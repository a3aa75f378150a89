import { fail } from '@sveltejs/kit';
import { graphql } from '$lib/graphql/graphql';
import { signedIn } from '$lib/server/guard';
import { loadOrFail } from '$lib/server/load';
import { Refusal, mutationAction } from '$lib/server/mutate';
import { SEXES } from '$lib/cohort-form';
import type { FieldErrors } from '$lib/validate';
import type { Actions, PageServerLoad } from './$types';

const PAGE_SIZE = 25;

const ResetParticipantPasskeys = graphql(
  `
    mutation ResetParticipantPasskeys($id: ID!, $check: IdentityCheck!) {
    resetParticipantPasskeys(participantId: $id, identityCheck: $check) { ... on
    MutationResetParticipantPasskeysSuccess { data { removed witness } } ...Refusal } }
  `,
  [Refusal],
);

const IDENTITY_CHECKS = ['IN_PERSON_PHOTO_ID', 'VIDEO_CALL_PHOTO_ID', 'KNOWN_CLINICIAN'] as const;

const Participants = graphql(`
  query Participants($limit: Int, $offset: Int) { participants(limit: $limit, offset: $offset) {
  total items { id pseudonym sex birthYear status hasAccount } } }
`);

export const load: PageServerLoad = async ({ locals, fetch, url }) => {
  const { token } = signedIn(locals);
  const pageNo = Math.max(1, Number.parseInt(url.searchParams.get('page') ?? '1', 10) || 1);
  const { participants } = await loadOrFail(fetch, token, Participants, {
    limit: PAGE_SIZE,
    offset: (pageNo - 1) * PAGE_SIZE,
  });
  return {
    participants: participants.items,
    total: participants.total,
    pageNo,
    pages: Math.max(1, Math.ceil(participants.total / PAGE_SIZE)),
  };
};

const CreateParticipant = graphql(
  `
    mutation CreateParticipant($input: CreateParticipantInput!) { createParticipant(input:
    $input) { ... on MutationCreateParticipantSuccess { data { pseudonym } } ...Refusal } }
  `,
  [Refusal],
);

const CreateEnrolmentCode = graphql(
  `
    mutation CreateEnrolmentCode($id: ID!) { createEnrolmentCode(participantId: $id) {
    ... on MutationCreateEnrolmentCodeSuccess { data { code expiresAt participant { id pseudonym
    } } } ...Refusal } }
  `,
  [Refusal],
);

export const actions: Actions = {
  create: async ({ locals, fetch, request }) => {
    const { token } = signedIn(locals);
    const form = await request.formData();
    const values = {
      sex: String(form.get('sex') ?? ''),
      birthYear: String(form.get('birthYear') ?? '').trim(),
      pseudonym: String(form.get('pseudonym') ?? '').trim(),
    };
    const errors: FieldErrors = {};
    const sex = SEXES.find((s) => s === values.sex);
    if (!sex) errors.sex = 'Choose the recorded sex.';
    const year = values.birthYear ? Number(values.birthYear) : null;
    if (
      year !== null &&
      (!Number.isInteger(year) || year < 1900 || year > new Date().getUTCFullYear())
    )
      errors.birthYear = `Enter a year from 1900 to ${new Date().getUTCFullYear()}, or leave it empty.`;
    if (values.pseudonym && !/^[A-Za-z0-9_.-]{3,64}$/.test(values.pseudonym))
      errors.pseudonym = 'Use 3–64 letters, digits, dots, dashes or underscores.';
    if (!sex || Object.keys(errors).length)
      return fail(400, { action: 'create', values, errors, message: null });
    return mutationAction(
      fetch,
      token,
      CreateParticipant,
      {
        input: {
          sex,
          birthYear: year,
          ...(values.pseudonym ? { pseudonym: values.pseudonym } : {}),
        },
      },
      {
        kept: { action: 'create', values },
        done: (data) => ({ created: data.pseudonym }),
        // A pseudonym already taken is a conflict, shown beside the pseudonym.
        refused: (r) =>
          r.code === 'CONFLICT' ? { ...r.fieldErrors, pseudonym: r.message } : r.fieldErrors,
      },
    );
  },
  resetPasskeys: async ({ locals, fetch, request }) => {
    const { token } = signedIn(locals);
    const form = await request.formData();
    const participantId = String(form.get('participantId') ?? '');
    const check = String(form.get('identityCheck') ?? '');
    const kept = { action: 'resetPasskeys' as const, participantId };
    if (!IDENTITY_CHECKS.includes(check as (typeof IDENTITY_CHECKS)[number]))
      return fail(400, {
        ...kept,
        message: 'Say how you checked who the participant is.',
        errors: {} as FieldErrors,
        errorType: 'VALIDATION',
      });
    return mutationAction(
      fetch,
      token,
      ResetParticipantPasskeys,
      { id: participantId, check: check as (typeof IDENTITY_CHECKS)[number] },
      { kept, done: (data) => ({ reset: data }) },
    );
  },
  code: async ({ locals, fetch, request }) => {
    const { token } = signedIn(locals);
    const participantId = String((await request.formData()).get('participantId') ?? '');
    return mutationAction(
      fetch,
      token,
      CreateEnrolmentCode,
      { id: participantId },
      {
        kept: { action: 'code', participantId },
        done: (data) => ({ enrolment: data }),
      },
    );
  },
};
