import { fail } from '@sveltejs/kit';
import { apiText } from '$lib/server/api';
import { messageOf, requireRole } from '$lib/server/guard';
import type { FieldErrors } from '$lib/validate';
import type { Actions, PageServerLoad } from './$types';

const ROLES = ['steward', 'admin'] as const;
const PAGE_SIZE = 25;
const SEXES = ['female', 'male', 'other', 'unknown'];

export interface ParticipantRow {
  id: string;
  pseudonym: string;
  sex: string;
  birthYear: number | null;
  status: string;
  hasAccount: boolean;
}

export const load: PageServerLoad = async ({ locals, fetch, url }) => {
  const { token } = requireRole(locals, ROLES, 'participant records');
  const pageNo = Math.max(1, Number.parseInt(url.searchParams.get('page') ?? '1', 10) || 1);
  try {
    const { participants } = await apiText<{
      participants: { items: ParticipantRow[]; total: number };
    }>(
      fetch,
      `query($limit: Int, $offset: Int) { participants(limit: $limit, offset: $offset) {
        total items { id pseudonym sex birthYear status hasAccount } } }`,
      { limit: PAGE_SIZE, offset: (pageNo - 1) * PAGE_SIZE },
      token,
    );
    return {
      participants: participants.items,
      total: participants.total,
      pageNo,
      pages: Math.max(1, Math.ceil(participants.total / PAGE_SIZE)),
      loadError: null,
    };
  } catch (e) {
    return {
      participants: [] as ParticipantRow[],
      total: 0,
      pageNo,
      pages: 1,
      loadError: messageOf(e),
    };
  }
};

type Typed<T> =
  | { __typename: string; data: T }
  | { __typename: string; message: string; fieldErrors?: { field: string; message: string }[] };

export const actions: Actions = {
  create: async ({ locals, fetch, request }) => {
    const { token } = requireRole(locals, ROLES, 'participant records');
    const form = await request.formData();
    const values = {
      sex: String(form.get('sex') ?? ''),
      birthYear: String(form.get('birthYear') ?? '').trim(),
      pseudonym: String(form.get('pseudonym') ?? '').trim(),
    };
    const errors: FieldErrors = {};
    if (!SEXES.includes(values.sex)) errors.sex = 'Choose the recorded sex.';
    const year = values.birthYear ? Number(values.birthYear) : null;
    if (
      year !== null &&
      (!Number.isInteger(year) || year < 1900 || year > new Date().getUTCFullYear())
    )
      errors.birthYear = `Enter a year from 1900 to ${new Date().getUTCFullYear()}, or leave it empty.`;
    if (values.pseudonym && !/^[A-Za-z0-9_.-]{3,64}$/.test(values.pseudonym))
      errors.pseudonym = 'Use 3–64 letters, digits, dots, dashes or underscores.';
    if (Object.keys(errors).length) return fail(400, { create: { values, errors, message: null } });
    try {
      const { createParticipant } = await apiText<{
        createParticipant: Typed<{ pseudonym: string }>;
      }>(
        fetch,
        `mutation($input: CreateParticipantInput!) { createParticipant(input: $input) {
          __typename
          ... on MutationCreateParticipantSuccess { data { pseudonym } }
          ... on Error { message }
          ... on ValidationError { fieldErrors { field message } }
        } }`,
        {
          input: {
            sex: values.sex,
            birthYear: year,
            ...(values.pseudonym ? { pseudonym: values.pseudonym } : {}),
          },
        },
        token,
      );
      if (!('data' in createParticipant)) {
        const fieldErrors: FieldErrors = {};
        for (const f of createParticipant.fieldErrors ?? []) fieldErrors[f.field] ??= f.message;
        if (createParticipant.__typename === 'ConflictError')
          fieldErrors.pseudonym = createParticipant.message;
        return fail(400, {
          create: { values, errors: fieldErrors, message: createParticipant.message },
        });
      }
      return { created: createParticipant.data.pseudonym };
    } catch (e) {
      return fail(502, { create: { values, errors: {}, message: messageOf(e) } });
    }
  },
  code: async ({ locals, fetch, request }) => {
    const { token } = requireRole(locals, ROLES, 'participant records');
    const participantId = String((await request.formData()).get('participantId') ?? '');
    try {
      const { createEnrolmentCode } = await apiText<{
        createEnrolmentCode: Typed<{
          code: string;
          expiresAt: string;
          participant: { id: string; pseudonym: string };
        }>;
      }>(
        fetch,
        `mutation($id: ID!) { createEnrolmentCode(participantId: $id) {
          __typename
          ... on MutationCreateEnrolmentCodeSuccess { data { code expiresAt participant { id pseudonym } } }
          ... on Error { message }
        } }`,
        { id: participantId },
        token,
      );
      if (!('data' in createEnrolmentCode))
        return fail(400, { codeError: { participantId, message: createEnrolmentCode.message } });
      return { enrolment: createEnrolmentCode.data };
    } catch (e) {
      return fail(502, { codeError: { participantId, message: messageOf(e) } });
    }
  },
};
